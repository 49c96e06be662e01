package io.evkeygen.spi;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;

/**
 * Where key-encryption keys come from: a fixed 32-byte KEK ({@link AesKekProvider}) or a KMS that
 * hands out data keys ({@code io.evkeygen.aws.AwsKmsKekProvider}). Other KMSs plug in by implementing this.
 * Every {@link Kek} returned belongs to the caller, who closes (zeroes) it.
 */
public interface KekProvider extends AutoCloseable {

    /** A KEK to seal file {@code kind} of key set {@code kid}, with the KMS fields to store (or null). */
    Grant grant(String kid, KeyFileKind kind);

    /**
     * The KEK that opens file {@code kind} of key set {@code kid}, sealed with {@code seal}.
     *
     * @throws io.evkeygen.error.KeygenException UNSEAL when this provider cannot open it, STORE when a KMS fails
     */
    Kek open(String kid, KeyFileKind kind, SealFields seal);

    /** A short human description, never key material (e.g. {@code AES KEK}, {@code AWS KMS key alias/x}). */
    String description();

    /** Releases the provider (zeroes a held KEK, closes a client). */
    @Override
    default void close() {}

    /** A KEK for one sealing, and the KMS fields the envelope stores beside the sealed blob. */
    record Grant(Kek kek, KmsFields kms) {}

    /** A provider for a fixed KEK (copied). */
    static KekProvider aes(byte[] kek) {
        return new AesKekProvider(Kek.of(kek));
    }
}
