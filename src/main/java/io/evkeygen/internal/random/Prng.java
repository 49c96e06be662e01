package io.evkeygen.internal.random;

import io.evkeygen.secret.Seed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key set's random source: independent, labelled AES-256-CTR streams derived from the 64-byte
 * seed (docs/ALGORITHMS.md, "Streams").
 *
 * <p>Stream key = HKDF-SHA256(ikm = seed, salt = "evkeygen/prng/v1", info = label, L = 32). One
 * stream per polynomial makes every polynomial a pure function of (seed, label): keys can be
 * generated in any order, by any number of threads, regenerated on demand, and reproduced by the
 * native backend byte for byte.
 */
public final class Prng implements AutoCloseable {
    static final byte[] SALT = "evkeygen/prng/v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] prk;

    /** Extracts the pseudo-random key; the seed may be zeroed afterwards. */
    public Prng(Seed seed) {
        this.prk = Hkdf.extract(SALT, seed.secret().reveal());
    }

    /** A fresh stream for a label; each call restarts the same keystream from its beginning. */
    public PrngStream stream(String label) {
        byte[] key = Hkdf.expand(prk, label.getBytes(StandardCharsets.US_ASCII), 32);
        try {
            return new PrngStream(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }


    @Override
    public void close() {
        Arrays.fill(prk, (byte) 0);
    }
}
