package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader accepts exactly the bytes the writer produces (issue 11, class 6): every other
 * spelling of the same envelope, and anything beyond the JSON limits of a key file, is refused as
 * INVALID_KEY in one line of our own words.
 */
class CanonicalFormTest {
    private static String secKey;
    private static String encKey;
    private static String metaKey;

    @BeforeAll
    static void makeEnvelopes() throws IOException {
        secKey = TamperTest.envelope(KeyFileKind.SECKEY, 1029);        // 1029 = 3k: no padding
        encKey = TamperTest.envelope(KeyFileKind.ENCKEY, 131077);      // 3k + 1: "=="
        metaKey = TamperTest.envelope(KeyFileKind.METADATAKEY, 32);    // 3k + 2: "="
    }

    private static Envelope read(byte[] bytes) throws IOException {
        return EnvelopeReader.read(new ByteArrayInputStream(bytes), null, OutputStreamSink.NULL);
    }

    private static Envelope read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String refused(byte[] bytes) {
        KeygenException e = assertThrows(KeygenException.class, () -> read(bytes));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("com.fasterxml") || e.getMessage().contains("Jackson")
                || e.getMessage().contains("StreamReadConstraints"), "our words, not the parser's: " + e.getMessage());
        return e.getMessage();
    }

    private static String refused(String text) {
        return refused(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String once(String text, String from, String to) {
        int i = text.indexOf(from);
        assertTrue(i >= 0, from);
        return text.substring(0, i) + to + text.substring(i + from.length());
    }

    @Test
    void theWritersBytesAreAccepted() throws IOException {
        assertEquals(1029, read(secKey).binLength());
        assertEquals(131077, read(encKey).binLength());
        assertEquals(32, read(metaKey).binLength());
    }

    @Test
    void bomAndWhitespaceAroundTheDocument() {
        byte[] doc = secKey.getBytes(StandardCharsets.ISO_8859_1);
        byte[] bom = new byte[doc.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(doc, 0, bom, 3, doc.length);
        refused(bom);
        refused(" " + secKey);
        refused(secKey + "\n");
        refused(once(secKey, "\"created_at\":", "\"created_at\": "));
    }

    @Test
    void otherSpellingsOfNumbersAndStrings() {
        assertTrue(secKey.contains("\"DB_SCALE_FACTOR\":24.0"), "fixture");
        assertTrue(refused(once(secKey, "\"DB_SCALE_FACTOR\":24.0", "\"DB_SCALE_FACTOR\":24e0")).contains("canonical"));
        refused(once(secKey, "\"DB_SCALE_FACTOR\":24.0", "\"DB_SCALE_FACTOR\":24.00"));
        refused(once(secKey, "\"kid\":\"test-key\"", "\"kid\":\"\\u0074est-key\""));
        // overlong UTF-8 for 't' (0xC1 0xB4): never accepted as the real kid
        byte[] doc = once(secKey, "\"kid\":\"test-key\"", "\"kid\":\"XXest-key\"").getBytes(StandardCharsets.ISO_8859_1);
        String s = new String(doc, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("XXest-key");
        doc[at] = (byte) 0xC1;
        doc[at + 1] = (byte) 0xB4;
        refused(doc);
    }

    @Test
    void nonCanonicalBase64() {
        // the last character before "=" carries 2 unused bits ("=" padding) or 4 ("=="): set them
        String value = metaKey.substring(metaKey.indexOf("\"key_data\":\"") + 12, metaKey.indexOf('"',
                metaKey.indexOf("\"key_data\":\"") + 12));
        assertTrue(value.endsWith("="), "fixture ends in one '='");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char last = value.charAt(value.length() - 2);
        char dirty = alphabet.charAt(alphabet.indexOf(last) | 1);
        assertTrue(dirty != last);
        String tampered = value.substring(0, value.length() - 2) + dirty + "=";
        refused(once(metaKey, value, tampered));
        // a line break inside key_data (MIME style)
        refused(once(secKey, "\"key_data\":\"", "\"key_data\":\"\\n"));
        String sec = secKey;
        int k = sec.indexOf("\"key_data\":\"") + 12;
        refused(sec.substring(0, k + 76) + "\\r\\n" + sec.substring(k + 76));
    }

    @Test
    void unknownFieldsEvenHugeOnesAreRefusedWithBoundedMemory() {
        String big = "x".repeat(50 << 20);
        refused(once(secKey, "\"created_at\"", "\"junk\":\"" + big + "\",\"created_at\""));
    }

    @Test
    void stateMustBeActiveAndKeyVersionKnown() {
        assertTrue(refused(once(secKey, "\"value\":\"active\"", "\"value\":\"revoked\"")).contains("not active"));
        assertTrue(refused(once(secKey, "\"key_version\":\"1\"", "\"key_version\":\"2\"")).contains("key_version"));
    }

    @Test
    void jsonLimitsAreInvalidKeysInOurWords() {
        String deep = "[".repeat(1200) + "]".repeat(1200);
        refused(once(secKey, "\"created_at\"", "\"deep\":" + deep + ",\"created_at\""));
        refused(once(secKey, "\"format_version\":1", "\"format_version\":1" + "0".repeat(1000)));
        refused(once(secKey, "\"kid\":\"test-key\"", "\"kid\":\"" + "k".repeat(20 << 20) + "\""));
    }

    /** A sink that drops everything. */
    private static final class OutputStreamSink {
        static final java.io.OutputStream NULL = new ByteArrayOutputStream() {
            @Override
            public void write(byte[] b, int off, int len) {
            }

            @Override
            public void write(int b) {
            }
        };
    }
}
