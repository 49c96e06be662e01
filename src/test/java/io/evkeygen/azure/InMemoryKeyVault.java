package io.evkeygen.azure;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.RemoteLayout;
import io.evkeygen.spi.remote.SecretStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An Azure Key Vault in memory: secret names allow only letters, digits and '-', at most 127
 * characters, so {@code <prefix>-<key_id>-<blob>} is sanitized (lossy: listing filters candidates);
 * a value holds at most 25 KiB.
 */
public final class InMemoryKeyVault implements SecretStore {
    /** Key Vault's limit on a secret value. */
    public static final int MAX_VALUE_BYTES = 25 * 1024;

    private final String vault;
    private final RemoteLayout layout;
    final Map<String, String> secrets = new ConcurrentSkipListMap<>();
    /** A part whose creation fails with 403 Forbidden, for rollback tests. */
    volatile KeyFileKind failOn;

    public InMemoryKeyVault(String vault, RemoteLayout layout) {
        this.vault = vault;
        this.layout = layout;
    }

    String secretName(String keyId, KeyFileKind kind) {
        String raw = layout.prefix() + "-" + keyId + "-" + RemoteLayout.blobName(kind);
        String name = raw.replaceAll("[^0-9A-Za-z-]", "-");
        return name.length() > 127 ? name.substring(0, 127) : name;
    }

    @Override
    public Limit limit() {
        return new Limit("Azure Key Vault", MAX_VALUE_BYTES);
    }

    @Override
    public void create(String keyId, KeyFileKind kind, String envelope) {
        if (kind == failOn) {
            throw new KeygenException(KeygenException.Kind.STORE, "Forbidden: the caller may not set secrets (HTTP 403)");
        }
        if (secrets.putIfAbsent(secretName(keyId, kind), envelope) != null) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "Conflict: the secret exists (HTTP 409)");
        }
    }

    /** A new version of an existing secret (Key Vault's SetSecret); older versions are not kept here. */
    @Override
    public void replace(String keyId, KeyFileKind kind, String envelope) {
        if (secrets.replace(secretName(keyId, kind), envelope) == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "SecretNotFound (HTTP 404)");
        }
    }

    @Override
    public byte[] get(String keyId, KeyFileKind kind) {
        String value = secrets.get(secretName(keyId, kind));
        if (value == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "SecretNotFound (HTTP 404)");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean exists(String keyId, KeyFileKind kind) {
        return secrets.containsKey(secretName(keyId, kind));
    }

    /** Deletes and purges (no soft-delete retention, so the name can be used again). */
    @Override
    public void delete(String keyId, KeyFileKind kind) {
        secrets.remove(secretName(keyId, kind));
    }

    @Override
    public Set<String> holdingSecKey(Set<String> candidates) {
        Set<String> ids = new TreeSet<>();
        for (String id : candidates) {
            if (secrets.containsKey(secretName(id, KeyFileKind.SECKEY))) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Override
    public String where(String keyId, KeyFileKind kind) {
        return "https://" + vault + ".vault.azure.net/secrets/" + secretName(keyId, kind);
    }
}
