package io.evkeygen.spi;

import io.evkeygen.keyset.KeyFileKind;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The optional {@code entries[0].kms} object of a sealed entry whose KEK is a KMS data key
 * (envelope encryption; this project's extension, see docs/SEALING.md):
 * {@code {"encrypted_data_key":B64,"encryption_context":{...},"key_id":"arn:..."}}.
 * It is not part of aad; a reader that does not know it still sees a valid AES-KEK sealed entry.
 *
 * @param keyId             the KMS key that encrypted the data key (as KMS reported it: an ARN)
 * @param encryptedDataKey  the KMS ciphertext blob of the data key
 * @param encryptionContext the encryption context given to KMS (string to string)
 */
public record KmsFields(String keyId, byte[] encryptedDataKey, Map<String, String> encryptionContext) {
    public KmsFields {
        Objects.requireNonNull(keyId, "keyId");
        encryptedDataKey = Objects.requireNonNull(encryptedDataKey, "encryptedDataKey").clone();
        encryptionContext = Map.copyOf(new TreeMap<>(Objects.requireNonNull(encryptionContext, "encryptionContext")));
    }

    /**
     * The context that binds a data key to one file of one key set,
     * {@code {"evkeygen:file": <format>, "evkeygen:kid": <kid>}}: stored with every KMS's data key and
     * checked before the KMS is asked to open it (AWS KMS also binds it cryptographically).
     */
    public static Map<String, String> fileContext(String kid, KeyFileKind kind) {
        Map<String, String> m = new TreeMap<>();
        m.put("evkeygen:file", kind.format());
        m.put("evkeygen:kid", kid);
        return m;
    }

    @Override
    public byte[] encryptedDataKey() {
        return encryptedDataKey.clone();
    }
}
