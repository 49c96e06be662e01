package io.evkeygen.internal.seal;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.SealFields;
import java.security.MessageDigest;
import java.util.Arrays;

/** Seals and opens the key data of secret envelopes (spec sections 10 and 11) with a {@link KekProvider}. */
public final class Sealing {
    private Sealing() {}

    /** A sealed blob and the entry fields that go with it. */
    public record Sealed(byte[] blob, SealFields fields) {}

    /** Seals {@code plaintext}, the .bin of secret file {@code kind} of key set {@code kid}. */
    public static Sealed seal(KekProvider provider, Parameters params, String kid, KeyFileKind kind, byte[] plaintext) {
        if (!kind.secret()) {
            throw new IllegalArgumentException(kind.format() + " is never sealed");
        }
        KekProvider.Grant grant = provider.grant(kid, kind);
        try (Kek kek = grant.kek()) {
            AesKekSeal.Sealed s = AesKekSeal.seal(params, plaintext, kek.secret().reveal());
            return new Sealed(s.blob(), new SealFields(SealFields.AES_KEK, s.iv(), s.tag(), grant.kms()));
        }
    }

    /**
     * Everything about a sealed file that can be checked without its key: the seal algorithm, the
     * blob's header, reserved field and lengths, the IV and tag repeated in the envelope, and the
     * plaintext length ({@code plainLength}, as GCM keeps it).
     *
     * @throws KeygenException INVALID_KEY naming the file and the mismatch
     */
    public static void checkWithoutKey(EnvelopeHeader header, byte[] keyData, int plainLength) {
        SealFields seal = header.seal();
        String name = header.kind().fileName();
        if (!SealFields.AES_KEK.equals(seal.alg())) {
            throw KeygenException.invalidKey(name + ": unsupported seal alg '" + seal.alg() + "'");
        }
        AesKekSeal.Layout l;
        try {
            l = AesKekSeal.layout(header.parameters(), keyData);
        } catch (KeygenException e) {
            throw KeygenException.invalidKey(name + ": " + e.getMessage());
        }
        if (!MessageDigest.isEqual(seal.iv(), l.iv()) || !MessageDigest.isEqual(seal.tag(), l.tag())) {
            throw KeygenException.invalidKey(name + ": the envelope's iv or tag differ from the sealed blob's");
        }
        if (l.ciphertextLength() != plainLength) {
            throw KeygenException.invalidKey(name + ": sealed key of " + l.ciphertextLength() + " bytes, expected "
                    + plainLength);
        }
    }

    /**
     * The plaintext .bin of an envelope's key data: a copy of {@code keyData} when not sealed,
     * otherwise opened with {@code provider}, GCM tag verified.
     *
     * @throws KeygenException UNSEAL for a sealed file without a provider, a wrong KEK or a tampered blob
     */
    public static byte[] open(KekProvider provider, EnvelopeHeader header, byte[] keyData) {
        SealFields seal = header.seal();
        KeyFileKind kind = header.kind();
        if (seal == null) {
            return keyData.clone();
        }
        if (provider == null) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName()
                    + " is sealed: give its key-encryption key", KeygenException.Setting.KEK, null);
        }
        if (!SealFields.AES_KEK.equals(seal.alg())) {
            throw KeygenException.invalidKey(kind.fileName() + ": unsupported seal alg '" + seal.alg() + "'");
        }
        int ivAt = AesKekSeal.header(header.parameters().preset()).length + 4;
        if (keyData.length >= ivAt + AesKekSeal.IV_LENGTH + AesKekSeal.TAG_LENGTH
                && !(MessageDigest.isEqual(seal.iv(), Arrays.copyOfRange(keyData, ivAt, ivAt + AesKekSeal.IV_LENGTH))
                && MessageDigest.isEqual(seal.tag(), Arrays.copyOfRange(keyData, ivAt + AesKekSeal.IV_LENGTH,
                        ivAt + AesKekSeal.IV_LENGTH + AesKekSeal.TAG_LENGTH)))) {
            throw new KeygenException(KeygenException.Kind.UNSEAL,
                    kind.fileName() + ": cannot unseal: iv or tag differ from the sealed blob's (corrupted)");
        }
        byte[] plain;
        try (Kek kek = provider.open(header.kid(), kind, seal)) {
            plain = AesKekSeal.open(header.parameters(), keyData, kek.secret().reveal());
        } catch (KeygenException e) {
            if (e.kind() == KeygenException.Kind.UNSEAL && !e.getMessage().startsWith(kind.fileName())) {
                throw new KeygenException(e.kind(), kind.fileName() + ": " + e.getMessage());
            }
            if (e.kind() == KeygenException.Kind.INVALID_KEY) {
                // a malformed blob under a valid hash: still "cannot unseal" for the user
                throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName() + ": cannot unseal: " + e.getMessage());
            }
            throw e;
        }
        return plain;
    }
}
