package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KekProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every MetadataKey and metadata-ciphertext layout a pyenvector user may hold, each built here with
 * the JDK's own ciphers: the legacy MetadataKey JSON, the sealed-key-v2 MetadataKey, and AES-256-CTR
 * ciphertexts. None of them binds or authenticates enough to be taken silently: each is read only on
 * the explicitly named legacy path, with a warning.
 */
class PyenvectorLegacyLayoutsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** pyenvector's current layout B64(iv12 || tag || ct), built with the JDK. */
    private static String gcmValue(byte[] key, byte[] plain) throws Exception {
        byte[] iv = random(12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        byte[] ctTag = c.doFinal(plain);
        int ct = ctTag.length - 16;
        byte[] out = new byte[12 + ctTag.length];
        System.arraycopy(iv, 0, out, 0, 12);
        System.arraycopy(ctTag, ct, out, 12, 16);
        System.arraycopy(ctTag, 0, out, 28, ct);
        return Base64.getEncoder().encodeToString(out);
    }

    /** The legacy layout B64(iv16 || AES-256-CTR ciphertext). */
    private static String ctrValue(byte[] key, byte[] plain) throws Exception {
        byte[] iv = random(16);
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] ct = c.doFinal(plain);
        byte[] out = new byte[16 + ct.length];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(ct, 0, out, 16, ct.length);
        return Base64.getEncoder().encodeToString(out);
    }

    @Test
    void legacyCompactSortedMetadataKey() throws Exception {
        byte[] key = random(32);
        Path file = tmp.resolve("MetadataKey.json");
        Files.writeString(file, "{\"created_at\":\"2024-05-01T10:00:00Z\",\"key_id\":\"old\",\"metadata_blob\":\""
                + Base64.getEncoder().encodeToString(key) + "\"}");
        String token = gcmValue(key, "{\"title\":\"doc\"}".getBytes(StandardCharsets.UTF_8));
        KeygenException refused = assertThrows(KeygenException.class, () -> MetadataCipher.fromFile(file, null));
        assertEquals(KeygenException.Kind.INVALID_KEY, refused.kind());
        assertTrue(refused.getMessage().contains("older pyenvector layout"), refused.getMessage());
        List<String> warnings = new ArrayList<>();
        try (MetadataCipher c = MetadataCipher.fromUnauthenticatedLegacyFile(file, null, warnings::add)) {
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("older pyenvector layout"), warnings.get(0));
            assertEquals("{\"title\":\"doc\"}", c.decryptString(token));
            // and what we encrypt with it, the JDK opens with the same key
            String ours = c.encrypt("x");
            byte[] raw = Base64.getDecoder().decode(ours);
            Cipher d = Cipher.getInstance("AES/GCM/NoPadding");
            d.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, raw, 0, 12));
            byte[] ctTag = new byte[raw.length - 12];
            System.arraycopy(raw, 28, ctTag, 0, raw.length - 28);
            System.arraycopy(raw, 12, ctTag, raw.length - 28, 16);
            assertEquals("x", new String(d.doFinal(ctTag), StandardCharsets.UTF_8));
        }
        // hex spelling of the blob, and a blob of the wrong length
        Files.writeString(file, "{\"created_at\":\"t\",\"key_id\":\"old\",\"metadata_blob\":\""
                + java.util.HexFormat.of().formatHex(key) + "\"}");
        try (MetadataCipher c = MetadataCipher.fromUnauthenticatedLegacyFile(file, null)) {
            assertEquals("{\"title\":\"doc\"}", c.decryptString(token));
        }
        Files.writeString(file, "{\"created_at\":\"t\",\"key_id\":\"old\",\"metadata_blob\":\""
                + Base64.getEncoder().encodeToString(random(16)) + "\"}");
        KeygenException e = assertThrows(KeygenException.class,
                () -> MetadataCipher.fromUnauthenticatedLegacyFile(file, null));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertTrue(e.getMessage().contains("16 bytes, expected 32"), e.getMessage());
    }

    @Test
    void sealedKeyV2MetadataKeyOpensUnderTheKek() throws Exception {
        byte[] key = random(32);
        byte[] kek = random(32);
        byte[] iv = random(12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, iv));
        byte[] ctTag = c.doFinal(key);
        byte[] edk = Arrays.copyOf(ctTag, 32);
        byte[] tag = Arrays.copyOfRange(ctTag, 32, 48);
        Base64.Encoder u = Base64.getUrlEncoder().withoutPadding();
        Path dir = tmp.resolve("set");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("MetadataKey.json"), "{\"entries\":[{\"edk\":\"" + u.encodeToString(edk)
                + "\",\"iv\":\"" + u.encodeToString(iv) + "\",\"tag\":\"" + u.encodeToString(tag)
                + "\"}],\"format\":\"sealed-key-v2\",\"key_id\":\"v2\"}");
        String token = gcmValue(key, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        try (KekProvider p = KekProvider.aes(kek)) {
            assertEquals(KeygenException.Kind.INVALID_KEY, assertThrows(KeygenException.class,
                    () -> MetadataCipher.fromFile(dir, p)).kind(), "bound to no set: not taken silently");
            try (MetadataCipher m = MetadataCipher.fromUnauthenticatedLegacyFile(dir, p)) {
                assertEquals("[1,2,3]", m.decryptString(token));
            }
        }
        KeygenException noKek = assertThrows(KeygenException.class,
                () -> MetadataCipher.fromUnauthenticatedLegacyFile(dir, null));
        assertEquals(KeygenException.Kind.UNSEAL, noKek.kind());
        try (KekProvider wrong = KekProvider.aes(random(32))) {
            KeygenException e = assertThrows(KeygenException.class,
                    () -> MetadataCipher.fromUnauthenticatedLegacyFile(dir, wrong));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertTrue(e.getMessage().contains("sealed-key-v2"), e.getMessage());
        }
    }

    @Test
    void legacyCtrCiphertextsDecryptOnlyOnTheUnauthenticatedPathWithAWarning() throws Exception {
        byte[] key = random(32);
        String json = "{\"title\":\"legacy\",\"n\":42}";
        String ctr = ctrValue(key, json.getBytes(StandardCharsets.UTF_8));
        List<String> warnings = new ArrayList<>();
        try (MetadataCipher c = MetadataCipher.of(key).onWarning(warnings::add)) {
            // never a fallback: decrypt is AES-GCM or an error
            assertEquals(KeygenException.Kind.UNSEAL, assertThrows(KeygenException.class, () -> c.decrypt(ctr)).kind());
            assertEquals(List.of(), warnings);
            assertEquals(json, new String(c.decryptUnauthenticatedLegacyCtr(ctr), StandardCharsets.UTF_8));
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("deprecated AES-256-CTR"), warnings.get(0));
            // a short legacy value (under GCM's 28-byte minimum), and any bytes
            assertArrayEquals("\"hi\"".getBytes(StandardCharsets.UTF_8),
                    c.decryptUnauthenticatedLegacyCtr(ctrValue(key, "\"hi\"".getBytes(StandardCharsets.UTF_8))));
            byte[] bin = random(40);
            assertArrayEquals(bin, c.decryptUnauthenticatedLegacyCtr(ctrValue(key, bin)));
            assertEquals(3, warnings.size(), "one warning per call");
        }
    }
}
