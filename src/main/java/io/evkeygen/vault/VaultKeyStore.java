package io.evkeygen.vault;

import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RemoteSaves;
import io.evkeygen.spi.StagedBlob;
import io.evkeygen.spi.StagedKeySet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Key sets split as pyenvector 1.5's KeyManager does with Vault: SecKey and MetadataKey in Vault's
 * KV engine at {@code <prefix>/<key_id>/sec_blob} and {@code .../metadata_blob}, each a secret whose
 * {@code value} field holds the envelope; EncKey and EvalKey in the local key directory
 * {@code <key_path>/<key_id>/}.
 *
 * <p>The guarantees of {@code AwsKeyStore}: an existing key id (any part, here or in Vault) is refused
 * before generation; the public half is written first (atomically, by the local store), then
 * MetadataKey, then SecKey, so a set "exists" only once complete; KV v2 writes use {@code cas=0}, so
 * a racing writer is refused instead of overwritten (KV v1 has no check-and-set: checked just
 * before); a failure removes what was written, newest first, and names the failed part; deletion
 * starts with SecKey.
 */
public final class VaultKeyStore implements KeyStore {
    /** The order of writes; rollback and deletion run in reverse. */
    public static final List<KeyFileKind> UPLOAD_ORDER = RemoteSaves.UPLOAD_ORDER;
    private static final Set<KeyFileKind> LOCAL = EnumSet.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY);

    private final VaultStoreConfig config;
    private final VaultLayout layout;
    private final VaultKv kv;
    private final KeyStore local;
    private final List<String> plaintextWarnings;

    /**
     * @throws KeygenException USAGE for an {@code http://} address on another machine unless the
     *         config's access allows it (see {@link #plaintextWarnings()})
     */
    public VaultKeyStore(VaultStoreConfig config) {
        this.plaintextWarnings = config.access().checkPlaintext("the Vault address", config.address(),
                "the Vault token and the SecKey and MetadataKey envelopes").stream().toList();
        this.config = config;
        this.layout = config.layout();
        this.kv = new VaultKv(config);
        this.local = KeyStores.local(config.keyPath());
    }

    public VaultLayout layout() {
        return layout;
    }

    /** What travels in clear because plaintext to another machine was allowed (empty over TLS or loopback). */
    public List<String> plaintextWarnings() {
        return plaintextWarnings;
    }

    /** A readable location of a key set. */
    public String location(String keyId) {
        return config.keyPath().resolve(keyId) + "/ + " + vaultUrl(keyId, null);
    }

    private String vaultUrl(String keyId, KeyFileKind kind) {
        String p = kind == null ? layout.root() + keyId + "/" : layout.path(keyId, kind);
        return "vault " + config.address() + " " + config.mount() + "/" + p;
    }

    private String where(String keyId, KeyFileKind kind) {
        return LOCAL.contains(kind) ? config.keyPath().resolve(keyId).resolve(kind.fileName()).toString()
                : vaultUrl(keyId, kind);
    }

    @Override
    public String save(String keyId, KeySetWriter writer) throws IOException {
        KeyIds.check(keyId);
        Set<KeyFileKind> present = parts(keyId);
        RemoteSaves.refuseExisting(keyId, present, location(keyId));
        try (StagedKeySet staged = RemoteSaves.stage(writer, Long.MAX_VALUE, "Vault")) {
            write(keyId, staged);
        }
        return location(keyId);
    }

    private void write(String keyId, StagedKeySet staged) {
        List<KeyFileKind> written = new ArrayList<>();
        try {
            local.save(keyId, sink -> {
                for (KeyFileKind kind : List.of(KeyFileKind.EVALKEY, KeyFileKind.ENCKEY)) {
                    try (InputStream in = staged.get(kind).open(); OutputStream out = sink.open(kind)) {
                        in.transferTo(out);
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            throw failure(keyId, KeyFileKind.EVALKEY, e, written);
        }
        written.add(KeyFileKind.EVALKEY);
        written.add(KeyFileKind.ENCKEY);
        for (KeyFileKind kind : List.of(KeyFileKind.METADATAKEY, KeyFileKind.SECKEY)) {
            StagedBlob blob = staged.get(kind);
            if (blob == null) {
                continue;
            }
            boolean created;
            try {
                created = kv.create(layout.path(keyId, kind), blob.text());
            } catch (IOException | RuntimeException e) {
                throw failure(keyId, kind, e, written);
            }
            if (!created) {
                throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "writing " + kind.fileName() + " to "
                        + where(keyId, kind) + " failed: written by someone else meanwhile" + rollback(keyId, written),
                        KeygenException.Setting.KEY_ID, null);
            }
            written.add(kind);
        }
    }

    private KeygenException failure(String keyId, KeyFileKind kind, Exception e, List<KeyFileKind> written) {
        KeygenException.Kind k = e instanceof KeygenException ke ? ke.kind()
                : LOCAL.contains(kind) ? KeygenException.Kind.IO : KeygenException.Kind.STORE;
        return new KeygenException(k, "writing " + kind.fileName() + (LOCAL.contains(kind) ? " and EncKey.json" : "")
                + " to " + where(keyId, kind) + " failed: " + describe(e) + rollback(keyId, written), setting(e), e);
    }

    static String describe(Exception e) {
        if (e instanceof VaultKv.VaultError || e instanceof KeygenException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
    }

    /** Removes the parts written so far, newest first; returns the outcome for the error message. */
    private String rollback(String keyId, List<KeyFileKind> written) {
        if (written.isEmpty()) {
            return "; nothing was written";
        }
        List<String> failed = new ArrayList<>();
        for (int i = written.size() - 1; i >= 0; i--) {
            KeyFileKind kind = written.get(i);
            if (kind == KeyFileKind.ENCKEY) {
                continue; // removed with EvalKey: one local directory
            }
            try {
                deletePart(keyId, kind);
            } catch (IOException | RuntimeException e) {
                failed.add(kind.fileName() + " (" + describe(e) + ")");
            }
        }
        return failed.isEmpty()
                ? "; rolled back " + RemoteSaves.names(written)
                : "; ROLLBACK FAILED for " + String.join(", ", failed) + ": remove key id " + keyId + " by hand";
    }

    private void deletePart(String keyId, KeyFileKind kind) throws IOException {
        if (LOCAL.contains(kind)) {
            local.delete(keyId);
        } else {
            kv.delete(layout.path(keyId, kind));
        }
    }

    @Override
    public Set<KeyFileKind> parts(String keyId) throws IOException {
        KeyIds.check(keyId);
        Set<KeyFileKind> present = EnumSet.noneOf(KeyFileKind.class);
        for (KeyFileKind kind : local.parts(keyId)) {
            if (LOCAL.contains(kind)) {
                present.add(kind);
            }
        }
        for (KeyFileKind kind : List.of(KeyFileKind.SECKEY, KeyFileKind.METADATAKEY)) {
            try {
                if (kv.exists(layout.path(keyId, kind))) {
                    present.add(kind);
                }
            } catch (VaultKv.VaultError e) {
                throw store("checking " + where(keyId, kind), e);
            }
        }
        return present;
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) throws IOException {
        if (LOCAL.contains(kind)) {
            return local.open(keyId, kind);
        }
        String text;
        try {
            text = kv.read(layout.path(keyId, kind));
        } catch (VaultKv.VaultError e) {
            throw store("reading " + where(keyId, kind), e);
        }
        if (text == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "reading " + where(keyId, kind) + ": no such secret");
        }
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes SecKey, then MetadataKey (with every version on KV v2), then the local public half. */
    @Override
    public void delete(String keyId) throws IOException {
        KeyIds.check(keyId);
        for (int i = UPLOAD_ORDER.size() - 1; i >= 0; i--) {
            KeyFileKind kind = UPLOAD_ORDER.get(i);
            if (kind == KeyFileKind.ENCKEY) {
                continue;
            }
            try {
                deletePart(keyId, kind);
            } catch (VaultKv.VaultError e) {
                throw store("deleting " + where(keyId, kind), e);
            }
        }
    }

    /** Key ids whose SecKey is in Vault and whose EncKey and EvalKey are in the key directory. */
    @Override
    public List<String> list() throws IOException {
        List<String> children;
        try {
            children = kv.list(layout.prefix());
        } catch (VaultKv.VaultError e) {
            throw store("listing " + config.mount() + "/" + layout.root(), e);
        }
        Set<String> ids = new TreeSet<>();
        for (String c : children) {
            if (!c.endsWith("/")) {
                continue;
            }
            String id = c.substring(0, c.length() - 1);
            try {
                KeyIds.check(id);
            } catch (KeygenException e) {
                continue;
            }
            if (parts(id).containsAll(KeyStores.REQUIRED)) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }

    private static KeygenException store(String what, VaultKv.VaultError e) {
        return new KeygenException(KeygenException.Kind.STORE, what + ": " + e.getMessage(), setting(e), e);
    }

    /** A request that ran out of time names the deadline as the setting to change. */
    private static KeygenException.Setting setting(Exception e) {
        return e instanceof VaultKv.VaultError v && v.timedOut ? KeygenException.Setting.STORE_TIMEOUT : null;
    }


    /** Holds no connection to release (the token belongs to the config, which the caller closes). */
    @Override
    public void close() {
        local.close();
    }

    @Override
    public String toString() {
        return "VaultKeyStore[" + config + "]";
    }
}
