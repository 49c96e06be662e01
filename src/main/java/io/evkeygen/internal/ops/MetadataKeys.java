package io.evkeygen.internal.ops;

import io.evkeygen.internal.random.Hkdf;
import io.evkeygen.internal.seal.MetadataKeyFiles;
import io.evkeygen.secret.Seed;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** The 32-byte metadata encryption key (spec sections 8 and 11). */
public final class MetadataKeys {
    static final byte[] SALT = "metadatakey".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INFO = "envector-metadata-key".getBytes(StandardCharsets.US_ASCII);

    private MetadataKeys() {}

    /** From a user seed HKDF-SHA256 (as the Python SDK derives it), otherwise fresh random bytes. */
    public static byte[] forSeed(Seed seed) {
        return seed.userSupplied() ? derive(seed.secret().reveal()) : random();
    }

    /** HKDF-SHA256(ikm = seed, salt = "metadatakey", info = "envector-metadata-key", L = 32). */
    public static byte[] derive(byte[] seed) {
        return Hkdf.derive(seed, SALT, INFO, MetadataKeyFiles.KEY_LENGTH);
    }


    static byte[] random() {
        byte[] key = new byte[MetadataKeyFiles.KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
