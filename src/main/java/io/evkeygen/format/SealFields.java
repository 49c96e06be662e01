package io.evkeygen.format;

/** The entry fields a sealed secret gains (spec section 10): {@code alg}, {@code iv}, {@code tag}. */
public record SealFields(String alg, byte[] iv, byte[] tag) {
    public static final String AES_KEK = "AES-KEK";
}
