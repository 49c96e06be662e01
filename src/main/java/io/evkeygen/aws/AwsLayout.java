package io.evkeygen.aws;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.RemoteLayout;

/**
 * Names of a key set in S3 and Secrets Manager, as the Python SDK uses them (spec section 9):
 * secrets {@code <prefix>/<key_id>/sec_blob} and {@code .../metadata_blob}, objects
 * {@code <prefix>/<key_id>/enc_blob.json} and {@code .../eval_blob.json}: {@link RemoteLayout#name}
 * for both services.
 */
public final class AwsLayout extends RemoteLayout {

    /** {@code prefix} null or blank means {@link #DEFAULT_PREFIX}; surrounding slashes are dropped. */
    public AwsLayout(String prefix) {
        super(prefix);
    }

    /** Secrets Manager holds the secret kinds, S3 the public ones. */
    public static boolean inSecretsManager(KeyFileKind kind) {
        return kind.secret();
    }

    /** Where a part lives, for messages: {@code s3://bucket/key} or {@code secret name}. */
    public String location(String bucket, String keyId, KeyFileKind kind) {
        return inSecretsManager(kind) ? "secret " + name(keyId, kind) : "s3://" + bucket + "/" + name(keyId, kind);
    }
}
