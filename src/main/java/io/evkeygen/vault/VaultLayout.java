package io.evkeygen.vault;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.BlobNames;

/**
 * Paths of a key set's secret half in Vault, as pyenvector 1.5's KeyManager uses them:
 * {@code <prefix>/<key_id>/sec_blob} and {@code <prefix>/<key_id>/metadata_blob} under the KV mount.
 */
public final class VaultLayout {
    /** The prefix used when none is given. */
    public static final String DEFAULT_PREFIX = BlobNames.DEFAULT_PREFIX;
    /** The field of the KV secret's data that holds the envelope (see the README: a decision of ours). */
    public static final String FIELD = "value";

    private final String prefix;

    public VaultLayout(String prefix) {
        this.prefix = BlobNames.prefix(prefix);
    }

    public String prefix() {
        return prefix;
    }

    public String root() {
        return prefix + "/";
    }

    /** {@code sec_blob} or {@code metadata_blob}; only the secret kinds live in Vault. */
    public static String blobName(KeyFileKind kind) {
        if (!kind.secret()) {
            throw new IllegalArgumentException(kind + " is not kept in Vault");
        }
        return BlobNames.blobName(kind);
    }

    /** The secret's path under the mount. */
    public String path(String keyId, KeyFileKind kind) {
        String path = BlobNames.path(root(), keyId, kind);
        blobName(kind); // refuses a public kind: only the secrets live in Vault
        return path;
    }
}
