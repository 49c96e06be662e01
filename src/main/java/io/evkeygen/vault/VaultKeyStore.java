package io.evkeygen.vault;

import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.remote.ObjectStore;
import io.evkeygen.spi.remote.RemoteKeyStore;
import io.evkeygen.spi.remote.RemoteRecords;
import io.evkeygen.spi.remote.SecretStore;
import io.evkeygen.spi.remote.StagedKeySet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Key sets split as pyenvector 1.5's KeyManager does with Vault: SecKey and MetadataKey in Vault's
 * KV engine at {@code <prefix>/<key_id>/sec_blob} and {@code .../metadata_blob}, each a secret whose
 * {@code value} field holds the envelope; EncKey and EvalKey in the local key directory
 * {@code <key_path>/<key_id>/}, written together and atomically by the local store.
 *
 * <p>Save, rollback, delete and list are {@link RemoteKeyStore}'s; KV v2 writes use {@code cas=0}, so
 * a racing writer is refused instead of overwritten (KV v1 has no check-and-set: checked just before).
 */
public final class VaultKeyStore extends RemoteKeyStore {
    private final VaultStoreConfig config;
    private final VaultKv kv;

    /**
     * @throws KeygenException USAGE for an {@code http://} address on another machine unless the
     *         config's access allows it (see {@link #plaintextWarnings()})
     */
    public VaultKeyStore(VaultStoreConfig config) {
        this(config, config.access().checkPlaintext("the Vault address", config.address(),
                "the Vault token and the SecKey and MetadataKey envelopes").stream().toList(),
                KeyStores.local(config.keyPath()));
    }

    private VaultKeyStore(VaultStoreConfig config, List<String> warnings, KeyStore local) {
        this(config, warnings, local, new VaultKv(config));
    }

    private VaultKeyStore(VaultStoreConfig config, List<String> warnings, KeyStore local, VaultKv kv) {
        super(new LocalParts(config.keyPath(), local), new KvParts(config, kv), config, local);
        this.config = config;
        this.kv = kv;
        plaintextWarnings(warnings);
    }

    public VaultLayout layout() {
        return config.layout();
    }

    /**
     * Records in the KV mount at {@code <prefix>/.<namespace>-records/<key_id>.json}, written with
     * {@code cas} ({@link VaultRecords}); not beside the public half in {@code --key_path}, since every
     * replica using this Vault must see the same records.
     *
     * @throws KeygenException USAGE on KV v1, which has no check-and-set
     */
    @Override
    public RecordStore records(String namespace) {
        if (config.kvVersion() != 2) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "records need Vault's check-and-set, which KV v1"
                    + " lacks: use a KV v2 mount (--vault_kv_version 2)");
        }
        return new RemoteRecords(layout(), namespace, new VaultRecords(kv, config));
    }

    /** A readable location of a key set. */
    @Override
    public String location(String keyId) {
        return config.keyPath().resolve(keyId) + "/ + vault " + config.address() + " " + config.mount() + "/"
                + layout().root() + keyId + "/";
    }

    /** EncKey and EvalKey in {@code <key_path>/<key_id>/}: one atomic directory, written with EvalKey. */
    private record LocalParts(Path keyPath, KeyStore local) implements ObjectStore {
        @Override
        public void create(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) throws IOException {
            if (kind != KeyFileKind.EVALKEY) {
                return; // EncKey went with EvalKey
            }
            local.save(keyId, sink -> {
                for (KeyFileKind k : List.of(KeyFileKind.EVALKEY, KeyFileKind.ENCKEY)) {
                    try (InputStream in = staged.get(k).open(); OutputStream out = sink.open(k)) {
                        in.transferTo(out);
                    }
                }
            });
        }

        @Override
        public boolean exists(String keyId, KeyFileKind kind) throws IOException {
            return local.parts(keyId).contains(kind);
        }

        @Override
        public InputStream open(String keyId, KeyFileKind kind) throws IOException {
            return local.open(keyId, kind);
        }

        /** The directory goes with EvalKey, which is deleted (and rolled back) last. */
        @Override
        public void delete(String keyId, KeyFileKind kind) throws IOException {
            if (kind == KeyFileKind.EVALKEY) {
                local.delete(keyId);
            }
        }

        /** The key directories holding both public parts. */
        @Override
        public Set<String> ids() throws IOException {
            if (!Files.isDirectory(keyPath)) {
                return Set.of();
            }
            try (Stream<Path> entries = Files.list(keyPath)) {
                return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                        .filter(id -> !id.startsWith(".") && holdsPublicHalf(id)).collect(Collectors.toCollection(TreeSet::new));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        private boolean holdsPublicHalf(String keyId) {
            try {
                return local.parts(keyId).containsAll(Set.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String where(String keyId, KeyFileKind kind) {
            return keyPath.resolve(keyId).resolve(kind.fileName()).toString();
        }
    }

    /** SecKey and MetadataKey in the KV engine; errors carry Vault's own text. */
    private record KvParts(VaultStoreConfig config, VaultKv kv) implements SecretStore {
        @Override
        public Limit limit() {
            return new Limit("Vault", Long.MAX_VALUE);
        }

        private String path(String keyId, KeyFileKind kind) {
            return config.layout().path(keyId, kind);
        }

        @Override
        public void create(String keyId, KeyFileKind kind, String envelope) {
            if (!VaultHttp.call(() -> kv.create(path(keyId, kind), envelope))) {
                throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "written by someone else meanwhile");
            }
        }

        /** KV v2: {@code cas} on the current version, then the older versions destroyed; KV v1: a plain write. */
        @Override
        public void replace(String keyId, KeyFileKind kind, String envelope) {
            if (!VaultHttp.call(() -> kv.replace(path(keyId, kind), envelope))) {
                throw new KeygenException(KeygenException.Kind.STORE, "no such secret");
            }
        }

        @Override
        public byte[] get(String keyId, KeyFileKind kind) {
            String text = VaultHttp.call(() -> kv.read(path(keyId, kind)));
            if (text == null) {
                throw new KeygenException(KeygenException.Kind.STORE, "no such secret");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean exists(String keyId, KeyFileKind kind) {
            return VaultHttp.call(() -> kv.exists(path(keyId, kind)));
        }

        /** On KV v2 the metadata, so every version goes. */
        @Override
        public void delete(String keyId, KeyFileKind kind) {
            VaultHttp.call(() -> {
                kv.delete(path(keyId, kind));
                return null;
            });
        }

        /** One listing of {@code <prefix>/}, then each candidate's SecKey. */
        @Override
        public Set<String> holdingSecKey(Set<String> candidates) {
            VaultLayout layout = config.layout();
            List<String> children;
            try {
                children = VaultHttp.call(() -> kv.list(layout.prefix()));
            } catch (KeygenException e) {
                throw new KeygenException(e.kind(), "listing " + config.mount() + "/" + layout.root() + ": "
                        + e.getMessage(), e.setting().orElse(null), e.getCause());
            }
            Set<String> ids = new TreeSet<>();
            for (String c : children) {
                String id = c.substring(0, c.length() - 1);
                if (c.endsWith("/") && candidates.contains(id) && exists(KeyIds.check(id), KeyFileKind.SECKEY)) {
                    ids.add(id);
                }
            }
            return ids;
        }

        @Override
        public String where(String keyId, KeyFileKind kind) {
            return "vault " + config.address() + " " + config.mount() + "/" + path(keyId, kind);
        }
    }
}
