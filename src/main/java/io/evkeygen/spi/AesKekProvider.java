package io.evkeygen.spi;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;
import java.util.Objects;

/** A fixed 32-byte KEK (from a file, stdin or the caller), the {@code --seal_mode aes} provider. */
public final class AesKekProvider implements KekProvider {
    private final Kek kek;

    /** Takes ownership of {@code kek}: it is zeroed when this provider is closed. */
    public AesKekProvider(Kek kek) {
        this.kek = Objects.requireNonNull(kek, "kek");
    }

    @Override
    public Grant grant(String kid, KeyFileKind kind) {
        return new Grant(kek.copy(), null);
    }

    @Override
    public Kek open(String kid, KeyFileKind kind, SealFields seal) {
        if (seal.kms() != null) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName()
                    + " is sealed with a KMS data key (" + seal.kms().keyId() + "): open it with that KMS (AWS KMS or"
                    + " Vault Transit)",
                    KeygenException.Setting.KMS_KEY, null);
        }
        return kek.copy();
    }

    @Override
    public String description() {
        return "AES KEK";
    }

    @Override
    public void close() {
        kek.close();
    }
}
