package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.KekProvider.Grant;
import io.evkeygen.spi.KmsFields;
import java.util.Arrays;
import java.util.Map;
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
 * The two AWS KMS calls of {@link AwsKmsKekProvider} and their errors. A class of its own so that the
 * provider links no SDK exception type: without the SDK on the class path, {@code create} can then
 * say which jars to add instead of the JVM failing to link the provider.
 */
final class AwsKmsCalls {
    private final KmsClient client;

    AwsKmsCalls(KmsClient client) {
        this.client = client;
    }

    static AwsKmsCalls create(String region) {
        try {
            return new AwsKmsCalls(AwsClients.kms(region));
        } catch (SdkException e) {
            throw new KeygenException(KeygenException.Kind.STORE,
                    "cannot set up the AWS KMS client: " + oneLine(e.getMessage()) + " (no region: set one, or AWS_REGION)", KeygenException.Setting.REGION, e);
        }
    }

    /** GenerateDataKey: a fresh AES-256 data key under {@code keyId}, bound to {@code context}. */
    Grant generateDataKey(String keyId, Map<String, String> context) {
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

    /** Decrypt of a stored data key; UNSEAL naming {@code fileName} when KMS refuses the key or context. */
    Kek decrypt(String keyId, Map<String, String> context, byte[] encryptedDataKey, String fileName) {
        DecryptResponse r;
        try {
            r = client.decrypt(b -> b.keyId(keyId).encryptionContext(context)
                    .ciphertextBlob(SdkBytes.fromByteArray(encryptedDataKey)));
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, fileName
                    + ": cannot unseal: AWS KMS refused to decrypt the data key (wrong KMS key, or tampered data key or context)");
        } catch (SdkException e) {
            throw failure("Decrypt", e);
        }
        return takeKey(r.plaintext(), "Decrypt");
    }

    void close() {
        client.close();
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
}
