package io.evkeygen.aws;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.BlobNames;

/**
 * Names of a key set in S3 and Secrets Manager, as the Python SDK uses them (spec section 9):
 * secrets {@code <prefix>/<key_id>/sec_blob} and {@code .../metadata_blob}, objects
 * {@code <prefix>/<key_id>/enc_blob.json} and {@code .../eval_blob.json}.
 */
public final class AwsLayout {
    /** The prefix used when {@code --secret_prefix} is empty. */
    public static final String DEFAULT_PREFIX = BlobNames.DEFAULT_PREFIX;

    private final String prefix;

    /** {@code prefix} null or blank means {@link #DEFAULT_PREFIX}; surrounding slashes are dropped. */
    public AwsLayout(String prefix) {
        this.prefix = BlobNames.prefix(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** {@code <prefix>/} : what every name of every key set starts with. */
    public String root() {
        return prefix + "/";
    }

    /** The blob name's last segment for a kind. */
    public static String blobName(KeyFileKind kind) {
        return BlobNames.blobName(kind);
    }

    /** Secrets Manager holds the secret kinds, S3 the public ones. */
    public static boolean inSecretsManager(KeyFileKind kind) {
        return kind.secret();
    }

    /** The secret name or object key of one part. */
    public String name(String keyId, KeyFileKind kind) {
        return BlobNames.path(root(), keyId, kind);
    }

    /** Where a part lives, for messages: {@code s3://bucket/key} or {@code secretsmanager:name}. */
    public String location(String bucket, String keyId, KeyFileKind kind) {
        return inSecretsManager(kind) ? "secret " + name(keyId, kind) : "s3://" + bucket + "/" + name(keyId, kind);
    }

    /** The key id of a name {@code <prefix>/<id>/<blob>} of the given kind, or null when it is not one. */
    public String keyIdOf(String name, KeyFileKind kind) {
        return BlobNames.keyIdOf(root(), name, kind);
    }
}
