package io.evkeygen.internal.stream;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256 helpers (the JDK provider: it uses the CPU's SHA instructions where present). */
public final class Sha256 {
    /** Never updated: each digest is a clone of it, sparing the provider lookup (a set makes about ten). */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();   // a provider whose digest cannot be cloned
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static byte[] of(byte[] data) {
        return newDigest().digest(data);
    }

    /** B64(SHA-256(ASCII text)), the form of the envelope's aad and integrity values. */
    public static String base64OfAscii(String text) {
        return Base64.getEncoder().encodeToString(of(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An output stream that only feeds a digest and counts bytes. */
    public static final class DigestSink extends OutputStream {
        private final MessageDigest digest = newDigest();
        private long count;

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }

        public long count() {
            return count;
        }

        /** Finishes the digest (call once). */
        public byte[] digest() {
            return digest.digest();
        }
    }
}
