package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KmsFields;
import io.evkeygen.spi.SealFields;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Envelope encryption with AWS KMS ({@code --seal_mode aws-kms}): each sealing asks KMS for a fresh
 * AES-256 data key (GenerateDataKey), seals with its plaintext and stores its KMS ciphertext in
 * {@code entries[0].kms}; opening asks KMS to decrypt it (Decrypt). Both calls carry the
 * encryption context {@code {"evkeygen:file": <format>, "evkeygen:kid": <kid>}}, so a data key only
 * opens the file it was made for. Plaintext data keys live only in memory and are zeroed after use.
 * IAM: {@code kms:GenerateDataKey} to seal, {@code kms:Decrypt} to open.
 */
public final class AwsKmsKekProvider implements KekProvider {
    /** How a Vault Transit data key's {@code key_id} starts ({@code io.evkeygen.vault}, not linked from here). */
    private static final String VAULT_TRANSIT = "vault-transit:";
    private final KmsClient client;
    private final String keyId;
    private final boolean ownsClient;

    /**
     * @param client the KMS client (not closed by this provider)
     * @param keyId  key id, ARN or alias; required to seal, optional to open (then the stored key id)
     */
    public AwsKmsKekProvider(KmsClient client, String keyId) {
        this(client, keyId, false);
    }

    private AwsKmsKekProvider(KmsClient client, String keyId, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyId = keyId == null || keyId.isBlank() ? null : keyId;
        this.ownsClient = ownsClient;
    }

    /**
     * A provider with its own client: the JDK URL-connection HTTP client, {@code region} or the
     * default region chain, the default credentials chain, and the SDK's standard endpoint settings
     * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_KMS}, profiles).
     */
    public static AwsKmsKekProvider create(String keyId, String region) {
        try {
            return new AwsKmsKekProvider(AwsClients.kms(region), keyId, true);
        } catch (SdkException e) {
            throw new KeygenException(KeygenException.Kind.STORE,
                    "cannot set up the AWS KMS client: " + oneLine(e.getMessage()) + " (no region: set one, or AWS_REGION)", KeygenException.Setting.REGION, e);
        }
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
        Map<String, String> context = context(kid, kind);
        GenerateDataKeyResponse r;
        try {
            r = client.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        } catch (SdkException e) {
            throw failure("GenerateDataKey", e);
        }
        Kek kek = takeKey(r.plaintext(), "GenerateDataKey");
        String usedKey = r.keyId() != null ? r.keyId() : keyId;
        return new Grant(kek, new KmsFields(usedKey, r.ciphertextBlob().asByteArray(), context));
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
        String decryptKey = keyId != null ? keyId : kms.keyId();
        DecryptResponse r;
        try {
            r = client.decrypt(b -> b.keyId(decryptKey).encryptionContext(context)
                    .ciphertextBlob(SdkBytes.fromByteArray(kms.encryptedDataKey())));
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName()
                    + ": cannot unseal: AWS KMS refused to decrypt the data key (wrong KMS key, or tampered data key or context)");
        } catch (SdkException e) {
            throw failure("Decrypt", e);
        }
        return takeKey(r.plaintext(), "Decrypt");
    }

    /** Copies a data key out of the response into a {@link Kek} and zeroes the response's buffer. */
    private static Kek takeKey(SdkBytes plaintext, String op) {
        if (plaintext == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "AWS KMS " + op + " returned no data key");
        }
        byte[] raw = plaintext.asByteArrayUnsafe();
        try {
            if (raw.length != Kek.LENGTH) {
                throw new KeygenException(KeygenException.Kind.STORE,
                        "AWS KMS " + op + " returned a " + raw.length + "-byte data key, expected 32");
            }
            return Kek.of(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static KeygenException failure(String op, SdkException e) {
        String detail;
        if (e instanceof KmsException k && k.awsErrorDetails() != null) {
            detail = k.awsErrorDetails().errorCode() + ": " + oneLine(k.awsErrorDetails().errorMessage());
        } else {
            detail = oneLine(e.getMessage());
        }
        return new KeygenException(KeygenException.Kind.STORE, "AWS KMS " + op + " failed: " + detail, e);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    @Override
    public String description() {
        return "AWS KMS key " + (keyId != null ? keyId : "(from the key file)");
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
