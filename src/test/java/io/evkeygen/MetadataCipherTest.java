package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.testutil.MetadataForgery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Metadata encryption (spec section 11): B64(iv || tag || ciphertext), as the Python SDK lays it out. */
class MetadataCipherTest {
    static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) (0xa0 + i);
        }
    }

    @Test
    void roundTripsStringsBytesAndJson() {
        try (MetadataCipher c = MetadataCipher.of(KEY)) {
            String t = c.encrypt("héllo");
            assertEquals("héllo", c.decryptString(t));
            assertNotEquals(t, c.encrypt("héllo"), "fresh IV per value");
            byte[] raw = {0, 1, 2, (byte) 255};
            assertArrayEquals(raw, c.decrypt(c.encrypt(raw)));
            assertEquals("x", c.decryptJson(c.encryptJson(Map.of("title", "x"))).get("title").asText());
            byte[] aad = "doc-1".getBytes(StandardCharsets.UTF_8);
            String withAad = c.encrypt(raw, aad);
            assertArrayEquals(raw, c.decrypt(withAad, aad));
            assertEquals(KeygenException.Kind.UNSEAL, assertThrows(KeygenException.class, () -> c.decrypt(withAad)).kind());
            assertEquals(12 + 16 + 4, Base64.getDecoder().decode(c.encrypt(raw)).length);
        }
    }

    /** A value laid out by hand as Python's AESHelper.encrypt_aes_gcm does: iv, then tag, then ciphertext. */
    @Test
    void decryptsThePythonLayoutBuiltWithTheJdkCipher() throws Exception {
        byte[] iv = new byte[12];
        for (int i = 0; i < 12; i++) {
            iv[i] = (byte) (i * 7);
        }
        byte[] msg = "{\"title\":\"secret doc\"}".getBytes(StandardCharsets.UTF_8);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv));
        byte[] ctTag = jdk.doFinal(msg);
        int n = msg.length;
        byte[] layout = new byte[12 + 16 + n];
        System.arraycopy(iv, 0, layout, 0, 12);
        System.arraycopy(ctTag, n, layout, 12, 16);
        System.arraycopy(ctTag, 0, layout, 28, n);
        String python = Base64.getEncoder().encodeToString(layout);
        try (MetadataCipher c = MetadataCipher.of(KEY)) {
            assertArrayEquals(msg, c.decrypt(python));
            // and ours decrypts with the JDK cipher read the same way
            byte[] ours = Base64.getDecoder().decode(c.encrypt(msg));
            byte[] back = new byte[n + 16];
            System.arraycopy(ours, 28, back, 0, n);
            System.arraycopy(ours, 12, back, n, 16);
            jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"),
                    new GCMParameterSpec(128, java.util.Arrays.copyOf(ours, 12)));
            assertArrayEquals(msg, jdk.doFinal(back));
        }
    }

    @Test
    void refusesMalformedOrTamperedValues() {
        try (MetadataCipher c = MetadataCipher.of(KEY)) {
            assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class, () -> c.decrypt("%%%")).kind());
            assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class,
                    () -> c.decrypt(Base64.getEncoder().encodeToString(new byte[27]))).kind());
            byte[] v = Base64.getDecoder().decode(c.encrypt("abc"));
            for (int at : new int[] {0, 12, 28}) { // iv, tag, ciphertext
                byte[] b = v.clone();
                b[at] ^= 1;
                assertEquals(KeygenException.Kind.UNSEAL, assertThrows(KeygenException.class,
                        () -> c.decrypt(Base64.getEncoder().encodeToString(b))).kind());
            }
            byte[] other = KEY.clone();
            other[0] ^= 1;
            String t = c.encrypt("abc");
            try (MetadataCipher wrong = MetadataCipher.of(other)) {
                assertThrows(KeygenException.class, () -> wrong.decrypt(t));
            }
        }
        assertThrows(KeygenException.class, () -> MetadataCipher.of(new byte[31]));
    }

    /**
     * Issue 20, item 1: a CTR value forged from one GCM value of known plaintext (no key needed) is
     * refused by every authenticated decryption, and opens only on the explicitly unauthenticated path.
     */
    @Test
    void aCtrValueForgedFromAKnownGcmValueIsRefused() {
        byte[] known = "{\"title\":\"quarterly report, public\"}".getBytes(StandardCharsets.UTF_8);
        byte[] chosen = "{\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        try (MetadataCipher c = MetadataCipher.of(KEY).onWarning(warnings::add)) {
            String forged = MetadataForgery.ctrFromGcm(c.encrypt(known), known, chosen);
            // the forgery is real: CTR decryption under the key gives the chosen plaintext
            assertArrayEquals(chosen, c.decryptUnauthenticatedLegacyCtr(forged));
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("unauthenticated"), warnings.get(0));
            warnings.clear();
            for (Executable e : List.<Executable>of(() -> c.decrypt(forged), () -> c.decryptString(forged),
                    () -> c.decryptJson(forged))) {
                KeygenException x = assertThrows(KeygenException.class, e);
                assertEquals(KeygenException.Kind.UNSEAL, x.kind(), x.getMessage());
                assertFalse(x.getMessage().contains("admin"), x.getMessage());
            }
            // a forged value under GCM's 28-byte minimum is malformed, not legacy
            String shortForged = MetadataForgery.ctrFromGcm(c.encrypt(known), known, "\"x\"".getBytes(StandardCharsets.UTF_8));
            assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class,
                    () -> c.decrypt(shortForged)).kind());
            assertEquals(List.of(), warnings, "nothing was decrypted as CTR");
            // the old name still works, and still warns
            assertArrayEquals(chosen, decryptLegacyCtr(c, forged));
            assertEquals(1, warnings.size());
        }
    }

    @SuppressWarnings("deprecation")
    private static byte[] decryptLegacyCtr(MetadataCipher c, String value) {
        return c.decryptLegacyCtr(value);
    }
}
