package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KmsFields;
import io.evkeygen.spi.OptionalLibraries;
import io.evkeygen.spi.SealFields;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Envelope encryption with AWS KMS ({@code --seal_mode aws-kms}): each sealing asks KMS for a fresh
 * AES-256 data key (GenerateDataKey), seals with its plaintext and stores its KMS ciphertext in
 * {@code entries[0].kms}; opening asks KMS to decrypt it (Decrypt). Both calls carry the
 * encryption context {@code {"evkeygen:file": <format>, "evkeygen:kid": <kid>}}, so a data key only
 * opens the file it was made for. Plaintext data keys live only in memory and are zeroed after use.
 * IAM: {@code kms:GenerateDataKey} to seal, {@code kms:Decrypt} to open. The calls themselves are
 * {@link AwsKmsCalls}'s, so this class links no SDK class but the client it may be given.
 */
public final class AwsKmsKekProvider implements KekProvider {
    /** How a Vault Transit data key's {@code key_id} starts ({@code io.evkeygen.vault}, not linked from here). */
    private static final String VAULT_TRANSIT = "vault-transit:";
    private final AwsKmsCalls calls;
    private final String keyId;
    private final boolean ownsClient;

    /**
     * @param client the KMS client (not closed by this provider)
     * @param keyId  key id, ARN or alias; required to seal, optional to open (then the stored key id)
     */
    public AwsKmsKekProvider(KmsClient client, String keyId) {
        this(new AwsKmsCalls(Objects.requireNonNull(client, "client")), keyId, false);
    }

    private AwsKmsKekProvider(AwsKmsCalls calls, String keyId, boolean ownsClient) {
        this.calls = calls;
        this.keyId = keyId == null || keyId.isBlank() ? null : keyId;
        this.ownsClient = ownsClient;
    }

    /**
     * A provider with its own client: the JDK URL-connection HTTP client, {@code region} or the
     * default region chain, the default credentials chain, and the SDK's standard endpoint settings
     * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_KMS}, profiles).
     */
    public static AwsKmsKekProvider create(String keyId, String region) {
        OptionalLibraries.AWS_KMS.require("AwsKmsKekProvider");
        return new AwsKmsKekProvider(AwsKmsCalls.create(region), keyId, true);
    }

    /** The encryption context binding a data key to one file of one key set ({@link KmsFields#fileContext}). */
    public static Map<String, String> context(String kid, KeyFileKind kind) {
        return KmsFields.fileContext(kid, kind);
    }

    @Override
    public Grant grant(String kid, KeyFileKind kind) {
        if (keyId == null) {
            throw KeygenException.usage(KeygenException.Setting.KMS_KEY, "sealing with AWS KMS needs a KMS key id");
        }
        return calls.generateDataKey(keyId, context(kid, kind));
    }

    @Override
    public Kek open(String kid, KeyFileKind kind, SealFields seal) {
        KmsFields kms = seal.kms();
        if (kms == null) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName()
                    + " is sealed with a plain AES KEK, not a KMS data key: give that KEK", KeygenException.Setting.KEK, null);
        }
        if (kms.keyId().startsWith(VAULT_TRANSIT)) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName() + " is sealed with a Vault Transit"
                    + " data key (" + kms.keyId() + "), not AWS KMS: open it with Vault Transit",
                    KeygenException.Setting.TRANSIT_KEY, null);
        }
        Map<String, String> context = context(kid, kind);
        if (!context.equals(kms.encryptionContext())) {
            throw new KeygenException(KeygenException.Kind.UNSEAL,
                    kind.fileName() + ": cannot unseal: the stored KMS encryption context does not match this file");
        }
        return calls.decrypt(keyId != null ? keyId : kms.keyId(), context, kms.encryptedDataKey(), kind.fileName());
    }

    @Override
    public String description() {
        return "AWS KMS key " + (keyId != null ? keyId : "(from the key file)");
    }

    @Override
    public void close() {
        if (ownsClient) {
            calls.close();
        }
    }
}
