package io.evkeygen.gcp;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.storage.Storage;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Key sets in Google Cloud, laid out as pyenvector 1.5 does: EncKey and EvalKey as Cloud Storage
 * objects, SecKey and MetadataKey as Secret Manager secrets (automatic replication, one version per
 * write, read from {@code latest}); see {@link GcpLayout} for the names.
 *
 * <p>The guarantees of {@code AwsKeyStore}: an existing key id (any part) is refused before
 * generation; uploads run EvalKey, EncKey, MetadataKey, SecKey, so a set "exists" (SecKey, EncKey and
 * EvalKey present) only once complete; objects are created with {@code ifGenerationMatch=0} and
 * secrets with CreateSecret, so a writer racing for the same id fails instead of overwriting; a
 * failure removes what was written, newest first, and names the failed part; deletion starts with
 * SecKey. Downloads are verified by {@code KeyStores.download}/{@code KeySet.load}.
 */
public final class GcpKeyStore implements KeyStore {
    /** The order of uploads; rollback and deletion run in reverse. */
    public static final List<KeyFileKind> UPLOAD_ORDER = RemoteSaves.UPLOAD_ORDER;

    private final GcpStoreConfig config;
    private final GcpLayout layout;
    private final Storage storage;
    private final SecretManagerServiceClient smClient;
    private final GcsObjects gcs;
    private final SecretManagerSecrets secrets;
    private final List<String> plaintextWarnings;

    public GcpKeyStore(GcpStoreConfig config) {
        this(config, GcpClients.storage(config), GcpClients.secrets(config));
    }

    /**
     * With clients the caller built ({@link #close()} closes both).
     *
     * @throws KeygenException USAGE when an endpoint is plaintext on another machine and the config's
     *         access does not allow it (see {@link #plaintextWarnings()})
     */
    public GcpKeyStore(GcpStoreConfig config, Storage storage, SecretManagerServiceClient smClient) {
        this.config = config;
        this.storage = storage;
        this.smClient = smClient;
        try {
            this.plaintextWarnings = plaintextWarnings(config, storage);
        } catch (KeygenException e) {
            close();
            throw e;
        }
        this.layout = config.layout();
        this.gcs = new GcsObjects(storage, config.bucket());
        this.secrets = new SecretManagerSecrets(smClient, config.project());
    }

    public GcpLayout layout() {
        return layout;
    }

    /** What travels in clear because plaintext to another machine was allowed (empty over TLS or loopback). */
    public List<String> plaintextWarnings() {
        return plaintextWarnings;
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

    /** A readable location of a key set. */
    public String location(String keyId) {
        return "gs://" + config.bucket() + "/" + layout.root() + keyId + "/ + secrets projects/" + config.project()
                + "/secrets/" + layout.secretId(keyId, KeyFileKind.SECKEY).replace("sec_blob", "{sec,metadata}_blob");
    }

    private String where(String keyId, KeyFileKind kind) {
        return layout.location(config.project(), config.bucket(), keyId, kind);
    }

    @Override
    public String save(String keyId, KeySetWriter writer) throws IOException {
        KeyIds.check(keyId);
        gcs.requireBucket(); // both checks before minutes of generation
        Set<KeyFileKind> present = parts(keyId);
        RemoteSaves.refuseExisting(keyId, present, location(keyId));
        try (StagedKeySet staged = RemoteSaves.stage(writer, SecretManagerSecrets.MAX_PAYLOAD_BYTES, "Secret Manager")) {
            upload(keyId, staged);
        }
        return location(keyId);
    }

    private void upload(String keyId, StagedKeySet staged) {
        List<KeyFileKind> written = new ArrayList<>();
        for (KeyFileKind kind : UPLOAD_ORDER) {
            StagedBlob blob = staged.get(kind);
            if (blob == null) {
                continue;
            }
            try {
                put(keyId, kind, blob);
                written.add(kind);
            } catch (RuntimeException e) {
                boolean taken = GcpErrors.grpc(e, "ALREADY_EXISTS") || GcpErrors.http(e) == 412;
                KeygenException.Kind k = taken ? KeygenException.Kind.TARGET_EXISTS : KeygenException.Kind.STORE;
                String why = GcpErrors.isClientError(e) ? GcpErrors.describe(e)
                        : e instanceof KeygenException ke ? ke.getMessage() : e.getClass().getSimpleName();
                throw new KeygenException(k, "uploading " + kind.fileName() + " to " + where(keyId, kind) + " failed: "
                        + why + (taken ? " (written by someone else meanwhile)" : "") + rollback(keyId, written), e);
            }
        }
    }

    private void put(String keyId, KeyFileKind kind, StagedBlob blob) {
        if (!GcpLayout.inSecretManager(kind)) {
            gcs.create(layout.objectName(keyId, kind), blob);
            return;
        }
        String id = layout.secretId(keyId, kind);
        secrets.create(id);
        byte[] value = blob.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            secrets.addVersion(id, value);
        } catch (RuntimeException e) {
            try {
                secrets.delete(id); // the empty secret we just created
            } catch (RuntimeException d) {
                e.addSuppressed(d);
            }
            throw e;
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** Removes the parts written so far, newest first; returns the outcome for the error message. */
    private String rollback(String keyId, List<KeyFileKind> written) {
        if (written.isEmpty()) {
            return "; nothing was written";
        }
        List<String> failed = new ArrayList<>();
        for (int i = written.size() - 1; i >= 0; i--) {
            KeyFileKind kind = written.get(i);
            try {
                deletePart(keyId, kind);
            } catch (RuntimeException e) {
                failed.add(kind.fileName() + " (" + GcpErrors.describe(e) + ")");
            }
        }
        return failed.isEmpty()
                ? "; rolled back " + RemoteSaves.names(written)
                : "; ROLLBACK FAILED for " + String.join(", ", failed) + ": remove key id " + keyId + " by hand";
    }

    private void deletePart(String keyId, KeyFileKind kind) {
        if (GcpLayout.inSecretManager(kind)) {
            secrets.delete(layout.secretId(keyId, kind));
        } else {
            gcs.delete(layout.objectName(keyId, kind));
        }
    }

    @Override
    public Set<KeyFileKind> parts(String keyId) {
        KeyIds.check(keyId);
        Set<KeyFileKind> present = EnumSet.noneOf(KeyFileKind.class);
        for (KeyFileKind kind : KeyFileKind.values()) {
            try {
                boolean there = GcpLayout.inSecretManager(kind)
                        ? secrets.exists(layout.secretId(keyId, kind)) : gcs.exists(layout.objectName(keyId, kind));
                if (there) {
                    present.add(kind);
                }
            } catch (RuntimeException e) {
                throw GcpErrors.store("checking " + where(keyId, kind), e);
            }
        }
        return present;
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) {
        try {
            if (GcpLayout.inSecretManager(kind)) {
                return new ByteArrayInputStream(secrets.latest(layout.secretId(keyId, kind)));
            }
            return gcs.open(layout.objectName(keyId, kind));
        } catch (KeygenException e) {
            throw e;
        } catch (RuntimeException e) {
            throw GcpErrors.store("reading " + where(keyId, kind), e);
        }
    }

    /** Deletes every part, SecKey first so the set stops existing at once; missing parts are fine. */
    @Override
    public void delete(String keyId) {
        KeyIds.check(keyId);
        for (int i = UPLOAD_ORDER.size() - 1; i >= 0; i--) {
            KeyFileKind kind = UPLOAD_ORDER.get(i);
            try {
                deletePart(keyId, kind);
            } catch (RuntimeException e) {
                throw GcpErrors.store("deleting " + where(keyId, kind), e);
            }
        }
    }

    /**
     * Key ids with SecKey, EncKey and EvalKey present: one object listing gives the ids (secret ids
     * are lossy, so ids come from object names), one secret listing confirms their SecKey secrets.
     */
    @Override
    public List<String> list() {
        Set<String> enc = new TreeSet<>();
        Set<String> eval = new TreeSet<>();
        try {
            for (String name : gcs.names(layout.root())) {
                add(enc, layout.keyIdOf(name, KeyFileKind.ENCKEY));
                add(eval, layout.keyIdOf(name, KeyFileKind.EVALKEY));
            }
        } catch (RuntimeException e) {
            throw GcpErrors.store("listing gs://" + config.bucket() + "/" + layout.root(), e);
        }
        enc.retainAll(eval);
        Set<String> secretIds;
        try {
            secretIds = secrets.ids(layout.secretIdPrefix());
        } catch (RuntimeException e) {
            throw GcpErrors.store("listing secrets " + layout.secretIdPrefix() + "* of project " + config.project(), e);
        }
        List<String> ids = new ArrayList<>();
        for (String id : enc) {
            if (secretIds.contains(layout.secretId(id, KeyFileKind.SECKEY))) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static void add(Set<String> ids, String id) {
        if (id != null) {
            ids.add(id);
        }
    }


    @Override
    public void close() {
        try {
            smClient.close();
        } finally {
            try {
                storage.close();
            } catch (Exception e) {
                // nothing held that matters
            }
        }
    }

    @Override
    public String toString() {
        return "GcpKeyStore[" + config + "]";
    }
}
