package io.evkeygen.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.evkeygen.secret.Seed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MetadataKeysTest {
    private static byte[] seedBytes() {
        byte[] s = new byte[64];
        for (int i = 0; i < 64; i++) {
            s[i] = (byte) i;
        }
        return s;
    }

    /** RFC 5869 by hand with the JDK's HMAC, to check the Bouncy Castle wiring (salt/info not swapped). */
    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return mac.doFinal(); // 32 bytes = one block
    }

    @Test
    void seededKeyIsHkdfSha256WithTheSpecLabels() throws Exception {
        byte[] expected = hkdf(seedBytes(), "metadatakey".getBytes(StandardCharsets.US_ASCII),
                "envector-metadata-key".getBytes(StandardCharsets.US_ASCII));
        try (Seed seed = Seed.of(seedBytes())) {
            assertArrayEquals(expected, MetadataKeys.forSeed(seed));
        }
    }

    @Test
    void unseededKeysAreRandom() {
        try (Seed a = Seed.random()) {
            byte[] k1 = MetadataKeys.forSeed(a);
            byte[] k2 = MetadataKeys.forSeed(a);
            assertEquals(32, k1.length);
            assertFalse(Arrays.equals(k1, k2), "a random seed must not make the metadata key reproducible");
        }
    }
}
