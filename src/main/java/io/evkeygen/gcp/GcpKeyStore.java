package io.evkeygen.gcp;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.storage.Storage;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.OptionalLibraries;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.remote.BucketObjects;
import io.evkeygen.spi.remote.RemoteKeyStore;
import io.evkeygen.spi.remote.RemoteRecords;
import io.evkeygen.spi.remote.SecretStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Key sets in Google Cloud, laid out as pyenvector 1.5 does: EncKey and EvalKey as Cloud Storage
 * objects, SecKey and MetadataKey as Secret Manager secrets (automatic replication, one version per
 * write, read from {@code latest}); see {@link GcpLayout} for the names.
 *
 * <p>Save, rollback, delete and list are {@link RemoteKeyStore}'s; objects are created with
 * {@code ifGenerationMatch=0} and secrets with CreateSecret, so a writer racing for the same id fails
 * instead of overwriting. Downloads are verified by {@code KeyStores.download}/{@code KeySet.load}.
 */
public final class GcpKeyStore extends RemoteKeyStore {
    private final GcpStoreConfig config;
    private final GcsRecords records;

    /**
     * With clients configured from {@code config} ({@link GcpClients}).
     *
     * @throws KeygenException USAGE naming the Google Cloud jars to add when they are not on the class
     *         path; STORE when the credentials cannot be loaded
     */
    public GcpKeyStore(GcpStoreConfig config) {
        this(config, storage(config), GcpClients.secrets(config));
    }

    /** The Cloud Storage client, once the Google jars are known to be there: before it, no class that links them is touched. */
    private static Storage storage(GcpStoreConfig config) {
        OptionalLibraries.GCP_STORE.require("GcpKeyStore");
        return GcpClients.storage(config);
    }

    /**
     * With clients the caller built ({@link #close()} closes both).
     *
     * @throws KeygenException USAGE when an endpoint is plaintext on another machine and the config's
     *         access does not allow it (see {@link #plaintextWarnings()})
     */
    public GcpKeyStore(GcpStoreConfig config, Storage storage, SecretManagerServiceClient smClient) {
        // EncKey and EvalKey as Cloud Storage objects, created with ifGenerationMatch=0
        super(new BucketObjects<>(config.layout(), new GcsObjects(storage, config.bucket()), RuntimeException.class,
                GcpErrors::failure),
                new SecretParts(config, new SecretManagerSecrets(smClient, config.project())), config, smClient, storage);
        this.config = config;
        this.records = new GcsRecords(storage, config.bucket());
        try {
            plaintextWarnings(plaintextWarnings(config, storage));
        } catch (KeygenException e) {
            close();
            throw e;
        }
    }

    public GcpLayout layout() {
        return config.layout();
    }

    /**
     * The plaintext rule on the Cloud Storage host the client really uses and on a Secret Manager
     * emulator (always plaintext). Cloud Storage carries the public half, and credentials when the
     * caller gives some: the same rule.
     */
    private static List<String> plaintextWarnings(GcpStoreConfig config, Storage storage) {
        List<String> warnings = new ArrayList<>();
        URI host = URI.create(storage.getOptions().getHost());
        config.access().checkPlaintext("the Cloud Storage endpoint", host, "EncKey and EvalKey").ifPresent(warnings::add);
        String sm = config.secretManagerEndpoint();
        if (sm != null) {
            config.access().checkPlaintext("the Secret Manager endpoint " + sm, true, hostOf(sm),
                    "the SecKey and MetadataKey envelopes").ifPresent(warnings::add);
        }
        return List.copyOf(warnings);
    }

    /** The host of {@code host:port} ({@code [::1]:9000} too), or null when it is not one. */
    private static String hostOf(String endpoint) {
        try {
            return URI.create("grpc://" + endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Records as Cloud Storage objects {@code <prefix>/.<namespace>-records/<key_id>.json} in the
     * bucket, written with {@code ifGenerationMatch} ({@link GcsRecords}).
     */
    @Override
    public RecordStore records(String namespace) {
        return new RemoteRecords(layout(), namespace, records);
    }

    /** A readable location of a key set. */
    @Override
    public String location(String keyId) {
        GcpLayout layout = layout();
        return "gs://" + config.bucket() + "/" + layout.root() + keyId + "/ + secrets projects/" + config.project()
                + "/secrets/" + layout.secretId(keyId, KeyFileKind.SECKEY).replace("sec_blob", "{sec,metadata}_blob");
    }

    /** SecKey and MetadataKey as Secret Manager secrets: CreateSecret (refuses a taken id), then one version. */
    private record SecretParts(GcpStoreConfig config, SecretManagerSecrets secrets) implements SecretStore {
        private String id(String keyId, KeyFileKind kind) {
            return config.layout().secretId(keyId, kind);
        }

        @Override
        public Limit limit() {
            return new Limit("Secret Manager", SecretManagerSecrets.MAX_PAYLOAD_BYTES);
        }

        @Override
        public void create(String keyId, KeyFileKind kind, String envelope) {
            String id = id(keyId, kind);
            GcpErrors.run(() -> secrets.create(id));
            byte[] value = envelope.getBytes(StandardCharsets.UTF_8);
            try {
                GcpErrors.run(() -> secrets.addVersion(id, value));
            } catch (RuntimeException e) {
                try {
                    secrets.delete(id); // the empty secret just created
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
                throw e;
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        }

        /** A new version, then the older ones destroyed. */
        @Override
        public void replace(String keyId, KeyFileKind kind, String envelope) {
            byte[] value = envelope.getBytes(StandardCharsets.UTF_8);
            try {
                GcpErrors.run(() -> secrets.replace(id(keyId, kind), value));
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        }

        @Override
        public byte[] get(String keyId, KeyFileKind kind) {
            return GcpErrors.call(() -> secrets.latest(id(keyId, kind)));
        }

        @Override
        public boolean exists(String keyId, KeyFileKind kind) {
            return GcpErrors.call(() -> secrets.exists(id(keyId, kind)));
        }

        @Override
        public void delete(String keyId, KeyFileKind kind) {
            GcpErrors.run(() -> secrets.delete(id(keyId, kind)));
        }

        /** One secret listing ({@code name:} filter) confirms the candidates' SecKey secrets. */
        @Override
        public Set<String> holdingSecKey(Set<String> candidates) {
            GcpLayout layout = config.layout();
            Set<String> secretIds;
            try {
                secretIds = secrets.ids(layout.secretIdPrefix());
            } catch (RuntimeException e) {
                throw GcpErrors.store("listing secrets " + layout.secretIdPrefix() + "* of project " + config.project(), e);
            }
            return candidates.stream().filter(id -> secretIds.contains(id(id, KeyFileKind.SECKEY)))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public String where(String keyId, KeyFileKind kind) {
            return config.layout().location(config.project(), null, keyId, kind);
        }
    }
}
