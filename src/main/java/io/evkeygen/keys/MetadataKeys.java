package io.evkeygen.keys;

import io.evkeygen.random.Seed;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** The 32-byte metadata encryption key (spec sections 8 and 11). */
public final class MetadataKeys {
    public static final int LENGTH = 32;
    static final byte[] SALT = "metadatakey".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INFO = "envector-metadata-key".getBytes(StandardCharsets.US_ASCII);

    private MetadataKeys() {}

    /** From a user seed HKDF-SHA256 (as the Python SDK derives it), otherwise fresh random bytes. */
    public static byte[] forSeed(Seed seed) {
        return seed.userSupplied() ? derive(seed.bytes()) : random();
    }

    /** HKDF-SHA256(ikm = seed, salt = "metadatakey", info = "envector-metadata-key", L = 32). */
    public static byte[] derive(byte[] seed) {
        return hkdfSha256(seed, SALT, INFO, LENGTH);
    }

    /**
     * HKDF-SHA256 (RFC 5869), the primitive {@link #derive} uses (tested with the Wycheproof vectors).
     *
     * @throws IllegalArgumentException when {@code length} exceeds 255 * 32 bytes
     */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 0 || length > 255 * 32) {
            throw new IllegalArgumentException("HKDF-SHA256 output must be 0.." + 255 * 32 + " bytes, not " + length);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] key = new byte[length];
        hkdf.generateBytes(key, 0, length);
        return key;
    }

    static byte[] random() {
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
