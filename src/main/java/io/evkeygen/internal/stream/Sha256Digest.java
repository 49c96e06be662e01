package io.evkeygen.internal.stream;

import java.security.MessageDigest;

/**
 * SHA-256 of key data from whichever implementation is fastest where it runs: the JDK's (the
 * CPU's SHA instructions once the JIT has compiled it) or a backend's (native from the first byte,
 * which spares a one-shot run the interpreted digest). Every implementation gives the same digest.
 */
public interface Sha256Digest {

    void update(byte[] b, int off, int len);

    /** Finishes the digest; the object is spent. */
    byte[] digest();

    /** The JDK's SHA-256. */
    static Sha256Digest jdk() {
        MessageDigest md = Sha256.newDigest();
        return new Sha256Digest() {
            @Override
            public void update(byte[] b, int off, int len) {
                md.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                return md.digest();
            }
        };
    }
}
