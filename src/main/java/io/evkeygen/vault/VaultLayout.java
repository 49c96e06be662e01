package io.evkeygen.vault;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.RemoteLayout;

/**
 * Paths of a key set's secret half in Vault, as pyenvector 1.5's KeyManager uses them:
 * {@code <prefix>/<key_id>/sec_blob} and {@code <prefix>/<key_id>/metadata_blob} under the KV mount.
 */
public final class VaultLayout extends RemoteLayout {
    /** The field of the KV secret's data that holds the envelope (see the README: a decision of ours). */
    public static final String FIELD = "value";

    public VaultLayout(String prefix) {
        super(prefix);
    }

    /** {@code sec_blob} or {@code metadata_blob}; only the secret kinds live in Vault. */
    public static String blobName(KeyFileKind kind) {
        if (!kind.secret()) {
            throw new IllegalArgumentException(kind + " is not kept in Vault");
        }
        return RemoteLayout.blobName(kind);
    }

    /** The secret's path under the mount. */
    public String path(String keyId, KeyFileKind kind) {
        String path = name(keyId, kind);
        blobName(kind); // refuses a public kind: only the secrets live in Vault
        return path;
    }
}
