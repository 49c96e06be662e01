package io.evkeygen.spi;

/**
 * The entry fields a sealed secret gains (spec section 10): {@code alg}, {@code iv}, {@code tag},
 * and, when the KEK is a KMS data key, {@code kms} ({@link KmsFields}, this project's extension).
 *
 * @param kms null unless the KEK came from a KMS
 */
public record SealFields(String alg, byte[] iv, byte[] tag, KmsFields kms) {
    public static final String AES_KEK = "AES-KEK";

    /** Fields of a plain AES-KEK seal (no KMS). */
    public SealFields(String alg, byte[] iv, byte[] tag) {
        this(alg, iv, tag, null);
    }
}
