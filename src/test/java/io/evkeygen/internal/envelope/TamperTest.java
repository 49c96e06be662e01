package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of damage to an envelope is refused as INVALID_KEY with one line naming the field.
 * Works on a generated envelope, so it runs without the shared vectors.
 */
class TamperTest {
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static String secKey;
    private static String encKey;

    @BeforeAll
    static void makeEnvelopes() throws IOException {
        secKey = envelope(KeyFileKind.SECKEY, 1029);
        encKey = envelope(KeyFileKind.ENCKEY, 131077); // 131077 = 3k + 1: key_data ends in "=="
    }

    static String envelope(KeyFileKind kind, int length) throws IOException {
        byte[] bin = new byte[length];
        for (int i = 0; i < length; i++) {
            bin[i] = (byte) (i * 31 + 7);
        }
        EnvelopeHeader h = new EnvelopeHeader(kind, "test-key", Instant.parse("2026-11-28T12:54:43Z"),
                Requester.DEFAULT, null, io.evkeygen.params.Parameters.IP0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeWriter.write(h, BinSource.ofBytes(bin), out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static Envelope read(String text, KeyFileKind expected) throws IOException {
        return EnvelopeReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)),
                expected, null);
    }

    /** Asserts refusal with INVALID_KEY and a single line containing {@code fragment}. */
    private static void refused(String text, KeyFileKind expected, String fragment) {
        KeygenException e = assertThrows(KeygenException.class, () -> read(text, expected));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }

    private static String replaceOnce(String text, String from, String to) {
        int i = text.indexOf(from);
        assertTrue(i >= 0, from);
        return text.substring(0, i) + to + text.substring(i + from.length());
    }

    /** Replaces the base64 char at {@code pos} by one whose top bit differs, so the decoded bytes change. */
    private static String flipBase64(String text, int pos) {
        int v = B64.indexOf(text.charAt(pos));
        assertTrue(v >= 0, "not a base64 char at " + pos);
        return text.substring(0, pos) + B64.charAt(v ^ 0x20) + text.substring(pos + 1);
    }

    @Test
    void untouchedEnvelopesRead() throws IOException {
        assertEquals(1029, read(secKey, KeyFileKind.SECKEY).binLength());
        assertEquals(131077, read(encKey, null).binLength());
    }

    @Test
    void anyFlippedKeyDataCharIsRefused() {
        for (String text : List.of(secKey, encKey)) {
            int start = text.indexOf("\"key_data\":\"") + "\"key_data\":\"".length();
            int end = text.indexOf('"', start);
            int last = end - 1;
            while (text.charAt(last) == '=') {
                last--;
            }
            for (int pos : new int[] {start, start + 1, start + 777, (start + last) / 2, last - 1, last}) {
                String tampered = flipBase64(text, pos);
                assertNotEquals(text, tampered);
                refused(tampered, null, "hash does not match key_data");
            }
        }
    }

    @Test
    void changedHashIsRefused() {
        int at = secKey.indexOf("\"hash\":\"") + "\"hash\":\"".length();
        refused(flipBase64(secKey, at + 5), KeyFileKind.SECKEY, "SecKey.json: hash does not match key_data");
    }

    @Test
    void changedKidIsRefused() {
        refused(secKey.replace("\"kid\":\"test-key\"", "\"kid\":\"test-kez\""), KeyFileKind.SECKEY,
                "integrity does not match kid");
    }

    @Test
    void changedAadFieldsAreRefused() {
        String aad = "aad does not match";
        refused(replaceOnce(secKey, "\"created_at\":\"2026-11-28T12:54:43Z\"", "\"created_at\":\"2026-11-28T12:54:42Z\""),
                KeyFileKind.SECKEY, aad);
        refused(replaceOnce(secKey, "\"expires_at\":\"2031-11-27T12:54:43Z\"", "\"expires_at\":\"2036-11-27T12:54:43Z\""),
                KeyFileKind.SECKEY, aad);
        refused(replaceOnce(secKey, "user@tenantA", "user@tenantB"), KeyFileKind.SECKEY, aad);
        refused(replaceOnce(secKey, "\"type\":\"LOCAL\"", "\"type\":\"AWS\""), KeyFileKind.SECKEY, aad);
        refused(replaceOnce(secKey, "\"aad\":{\"type\":\"SHA256\",\"value\":\"", "\"aad\":{\"type\":\"SHA256\",\"value\":\"x"),
                KeyFileKind.SECKEY, aad);
    }

    @Test
    void changedUsageIsRefused() {
        refused(replaceOnce(secKey, "\"usage\":\"vector_search\"", "\"usage\":\"evaluation\""), KeyFileKind.SECKEY,
                "usage 'evaluation' is not 'vector_search'");
    }

    @Test
    void wrongKindIsRefused() {
        refused(encKey, KeyFileKind.SECKEY, "expected a seckey envelope but found enckey");
        refused(secKey, KeyFileKind.EVALKEY, "EvalKey.json: expected an evalkey envelope but found seckey");
        refused(replaceOnce(secKey, "\"name\":\"seckey\"", "\"name\":\"enckey\""), null,
                "entries[0].name 'enckey' does not match format seckey");
        refused(replaceOnce(secKey, "decryption key", "encryption key"), null, "entries[0].role");
        refused(replaceOnce(secKey, "\"format\":\"seckey\"", "\"format\":\"mykey\""), null, "format 'mykey'");
        // without an expected kind or a source name, messages name the file of the kind found
        refused(replaceOnce(secKey, "user@tenantA", "user@tenantC"), null, "SecKey.json: aad does not match");
        KeygenException named = assertThrows(KeygenException.class, () -> EnvelopeReader.read(
                new ByteArrayInputStream(encKey.getBytes(StandardCharsets.US_ASCII)), KeyFileKind.EVALKEY, null,
                "/keys/k1/EvalKey.json"));
        assertEquals("/keys/k1/EvalKey.json: expected an evalkey envelope but found enckey", named.getMessage());
    }

    @Test
    void truncatedFilesAreRefused() {
        int keyData = encKey.indexOf("\"key_data\":\"");
        for (int cut : new int[] {0, 1, 10, keyData + 20, keyData + 50_000, encKey.length() / 2,
                encKey.length() - 2, encKey.length() - 1}) {
            refused(encKey.substring(0, cut), KeyFileKind.ENCKEY, "EncKey.json is not valid JSON (truncated?)");
        }
    }

    @Test
    void nonJsonIsRefused() {
        refused("hello", null, "is not valid JSON");
        refused("{\"a\":}", null, "is not valid JSON");
        refused("[1,2]", null, "is not a JSON object");
        refused(secKey + "{}", null, "data after the JSON object");
        // Jackson's own messages echo input; ours must not (the input may be a secret key)
        KeygenException e = assertThrows(KeygenException.class, () -> read("{\"kid\":SECRETSTUFF}", null));
        assertFalse(e.getMessage().contains("SECRETSTUFF"), e.getMessage());
    }

    @Test
    void badBase64IsRefused() {
        int start = secKey.indexOf("\"key_data\":\"") + "\"key_data\":\"".length();
        refused(secKey.substring(0, start + 4) + "*" + secKey.substring(start + 5), null,
                "key_data is not valid base64");
    }

    @Test
    void wrongTypesAndMissingFieldsAreRefused() {
        refused(replaceOnce(secKey, "\"format_version\":1", "\"format_version\":\"1\""), null,
                "format_version must be an integer");
        refused(replaceOnce(secKey, "\"format_version\":1", "\"format_version\":2"), null,
                "format_version 2 is not supported");
        refused(replaceOnce(secKey, "\"kid\":\"test-key\"", "\"kid\":7"), null, "kid must be a string");
        refused(replaceOnce(secKey, "\"kid\":\"test-key\",", ""), null, "missing field kid");
        refused(replaceOnce(secKey, "\"Q\":2251799813554177", "\"Q\":\"2251799813554177\""), null,
                "entries[0].metadata.parameter.Q must be an integer");
        refused(replaceOnce(secKey, "\"entries\":[{", "\"entries\":[{\"name\":\"x\"},{"), null,
                "entries must hold exactly one entry");
        refused(replaceOnce(secKey, "\"kid\":\"test-key\"", "\"kid\":\"test-key\",\"kid\":\"test-key\""), null,
                "is not valid JSON");
    }

    @Test
    void parameterBlockIsChecked() {
        refused(replaceOnce(secKey, "\"preset\":\"IP0\"", "\"preset\":\"IP7\""), null, "unsupported preset 'IP7'");
        refused(replaceOnce(secKey, "\"P\":36028797014376449", "\"P\":36028797014376450"), null,
                "does not match preset IP0");
        refused(replaceOnce(secKey, "\"eval_mode\":\"\"", "\"eval_mode\":\"RMP\""), null,
                "eval_mode must be empty for seckey");
    }

    @Test
    void unknownFieldsAreRefused() throws IOException {
        refused(replaceOnce(secKey, "\"created_at\"", "\"comment\":{\"a\":[1,2.5,null]},\"created_at\""), null,
                "canonical form");
        refused(replaceOnce(secKey, "\"hash\"", "\"future\":\"x\",\"hash\""), null, "canonical form");
        refused(replaceOnce(secKey, "\"preset\"", "\"NEW\":3,\"preset\""), null, "canonical form");
    }

    @Test
    void sealFieldsOnlyOnSecretsAndAllThree() throws IOException {
        String sealed = replaceOnce(secKey, "\"hash\"", "\"alg\":\"AES-KEK\",\"hash\"");
        refused(sealed, null, "needs all of alg, iv and tag");
        String enc = replaceOnce(encKey, "\"hash\"", "\"alg\":\"AES-KEK\",\"hash\"");
        enc = replaceOnce(enc, "\"metadata\"", "\"iv\":\"AAAAAAAAAAAAAAAA\",\"metadata\"");
        enc = replaceOnce(enc, "\"role\":\"encryption key\"",
                "\"role\":\"encryption key\",\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA==\"");
        refused(enc, null, "enckey is never sealed");
    }
}
