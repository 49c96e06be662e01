package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RemoteSaves;
import io.evkeygen.spi.StagedBlob;
import io.evkeygen.spi.StagedKeySet;
import io.evkeygen.spi.StoreAccess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Key sets in AWS, laid out as the Python SDK does (spec section 9): SecKey and MetadataKey as
 * Secrets Manager SecretStrings, EncKey and EvalKey as S3 objects.
 *
 * <p>Upload order is EvalKey, EncKey, MetadataKey, SecKey: a set "exists" when SecKey, EncKey and
 * EvalKey are present, and SecKey comes last, so a partial upload is never reported as a key set.
 * A failure removes what was written, in reverse order (SecKey first), and names the failed part.
 * Deletion also starts with SecKey.
 *
 * <p>Two writers racing for one new key id: the existence check runs before generation, so both may
 * pass it. S3 objects are then written with {@code If-None-Match: *} (PutObject and
 * CompleteMultipartUpload) and marked with a per-save writer id; the second writer gets 412
 * PreconditionFailed and fails with TARGET_EXISTS, rolling back only objects that carry its own
 * marker. Where the endpoint ignores conditional writes, CreateSecret of MetadataKey and SecKey
 * still decides (ResourceExistsException: TARGET_EXISTS), the loser again deletes only its own
 * objects, and the winner, once its SecKey exists, rewrites any S3 object that no longer carries
 * its marker (README, AWS section).
 */
public final class AwsKeyStore implements KeyStore {
    /** The order of uploads; rollback and deletion run in reverse. */
    public static final List<KeyFileKind> UPLOAD_ORDER = RemoteSaves.UPLOAD_ORDER;

    private static final System.Logger LOG = System.getLogger(AwsKeyStore.class.getName());

    private final AwsStoreConfig config;
    private final AwsLayout layout;
    private final S3Client s3Client;
    private final SecretsManagerClient smClient;
    private final S3Objects s3;
    private final SecretStrings secrets;
    private final List<String> plaintextWarnings;

    public AwsKeyStore(AwsStoreConfig config) {
        this(config, AwsClients.s3(config), AwsClients.secrets(config));
    }

    /**
     * With clients the caller built (closed by {@link #close()}).
     *
     * @throws KeygenException USAGE when a client's endpoint is {@code http://} on another machine and
     *         the config's access does not allow it (see {@link #plaintextWarnings()})
     */
    public AwsKeyStore(AwsStoreConfig config, S3Client s3Client, SecretsManagerClient smClient) {
        this.plaintextWarnings = plaintextWarnings(config.access(), s3Client, smClient);
        this.config = config;
        this.layout = config.layout();
        this.s3Client = s3Client;
        this.smClient = smClient;
        this.s3 = new S3Objects(s3Client, config.bucket(), config.partSize(), config.access().callTimeout());
        this.secrets = new SecretStrings(smClient);
    }

    public AwsLayout layout() {
        return layout;
    }

    /** What travels in clear because plaintext to another machine was allowed (empty over TLS or loopback). */
    public List<String> plaintextWarnings() {
        return plaintextWarnings;
    }

    /**
     * The plaintext rule on the endpoints the clients really use: given in the config, or by
     * {@code AWS_ENDPOINT_URL*}, system properties or a profile, as the SDK resolved them. S3 carries
     * the public half only, but a plaintext S3 exposes it to tampering on the way: the same rule.
     */
    private static List<String> plaintextWarnings(StoreAccess access, S3Client s3Client, SecretsManagerClient smClient) {
        List<String> warnings = new ArrayList<>();
        try {
            s3Client.serviceClientConfiguration().endpointOverride().flatMap(u -> access.checkPlaintext("the S3 endpoint",
                    u, "EncKey and EvalKey")).ifPresent(warnings::add);
            smClient.serviceClientConfiguration().endpointOverride().flatMap(u -> access.checkPlaintext(
                    "the Secrets Manager endpoint", u, "the SecKey and MetadataKey envelopes")).ifPresent(warnings::add);
        } catch (KeygenException e) {
            s3Client.close();
            smClient.close();
            throw e;
        }
        return List.copyOf(warnings);
    }

    /** A readable location of a key set. */
    public String location(String keyId) {
        return "s3://" + config.bucket() + "/" + layout.root() + keyId + "/ + secrets " + layout.root() + keyId + "/";
    }

    @Override
    public String save(String keyId, KeySetWriter writer) throws IOException {
        KeyIds.check(keyId);
        s3.requireBucket(); // both checks before minutes of generation
        Set<KeyFileKind> present = parts(keyId);
        RemoteSaves.refuseExisting(keyId, present, location(keyId));
        try (StagedKeySet staged = RemoteSaves.stage(writer, SecretStrings.MAX_VALUE_BYTES, "Secrets Manager")) {
            upload(keyId, staged);
        }
        return location(keyId);
    }

    private void upload(String keyId, StagedKeySet staged) {
        String writer = UUID.randomUUID().toString(); // marks this save's S3 objects (S3Objects.WRITER)
        List<KeyFileKind> written = new ArrayList<>();
        for (KeyFileKind kind : UPLOAD_ORDER) {
            StagedBlob blob = staged.get(kind);
            if (blob == null) {
                continue;
            }
            try {
                if (!AwsLayout.inSecretsManager(kind) && s3.exists(layout.name(keyId, kind))) {
                    // another writer got here after our existence check (and, where the endpoint
                    // ignores If-None-Match, this check is what keeps us from overwriting it)
                    throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "key id " + keyId
                            + " was taken by another writer while this one uploaded: "
                            + layout.location(config.bucket(), keyId, kind) + " already exists"
                            + rollback(keyId, written, writer), KeygenException.Setting.KEY_ID, null);
                }
                put(keyId, kind, blob, writer);
                written.add(kind);
            } catch (KeygenException e) {
                throw e;
            } catch (SdkException e) {
                String code = AwsErrors.code(e);
                if (S3Objects.preconditionFailed(e) && writtenBy(layout.name(keyId, kind), writer)) {
                    // the SDK retried a PutObject whose first attempt got through (a dropped response):
                    // the object carries this save's marker, so it is ours, not another writer's
                    written.add(kind);
                    continue;
                }
                if ("ResourceExistsException".equals(code) || S3Objects.preconditionFailed(e)) {
                    throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "key id " + keyId
                            + " was taken by another writer while this one uploaded: "
                            + layout.location(config.bucket(), keyId, kind) + " already exists ("
                            + AwsErrors.describe(e) + ")" + rollback(keyId, written, writer),
                            KeygenException.Setting.KEY_ID, e);
                }
                throw new KeygenException(KeygenException.Kind.STORE, "uploading " + kind.fileName() + " to "
                        + layout.location(config.bucket(), keyId, kind) + " failed: " + AwsErrors.describe(e)
                        + rollback(keyId, written, writer), e);
            } catch (RuntimeException e) {
                String rb = rollback(keyId, written, writer);
                throw new KeygenException(KeygenException.Kind.STORE, "uploading " + kind.fileName() + " failed: "
                        + e.getClass().getSimpleName() + rb, e);
            }
        }
        reclaim(keyId, staged, writer);
    }

    /**
     * After SecKey's CreateSecret made the key id ours: an endpoint that ignores {@code If-None-Match}
     * may have let a losing writer overwrite our S3 objects in between; put ours back (unconditionally:
     * the id is ours now). The loser deletes only objects that carry its own marker.
     */
    private void reclaim(String keyId, StagedKeySet staged, String writer) {
        for (KeyFileKind kind : UPLOAD_ORDER) {
            StagedBlob blob = staged.get(kind);
            if (blob == null || AwsLayout.inSecretsManager(kind)) {
                continue;
            }
            String name = layout.name(keyId, kind);
            try {
                if (!writer.equals(s3.writerOf(name))) {
                    LOG.log(System.Logger.Level.WARNING, "{0} was overwritten by another writer (the endpoint "
                            + "ignores If-None-Match); writing it again", layout.location(config.bucket(), keyId, kind));
                    s3.put(name, blob, writer, false);
                }
            } catch (SdkException e) {
                throw AwsErrors.store("re-checking " + layout.location(config.bucket(), keyId, kind), e);
            }
        }
    }

    /** Whether the S3 object carries this save's marker; false when that cannot be told. */
    private boolean writtenBy(String key, String writer) {
        try {
            return writer.equals(s3.writerOf(key));
        } catch (SdkException e) {
            return false;
        }
    }

    private void put(String keyId, KeyFileKind kind, StagedBlob blob, String writer) {
        String name = layout.name(keyId, kind);
        if (AwsLayout.inSecretsManager(kind)) {
            secrets.create(name, blob.text());
        } else {
            s3.put(name, blob, writer, true);
        }
    }

    /**
     * Removes the parts this save wrote, newest first (S3 objects only while they still carry its
     * marker, never another writer's); returns the outcome for the error message.
     */
    private String rollback(String keyId, List<KeyFileKind> written, String writer) {
        if (written.isEmpty()) {
            return "; nothing was written";
        }
        List<String> failed = new ArrayList<>();
        List<KeyFileKind> removed = new ArrayList<>();
        for (int i = written.size() - 1; i >= 0; i--) {
            KeyFileKind kind = written.get(i);
            String name = layout.name(keyId, kind);
            try {
                if (AwsLayout.inSecretsManager(kind)) {
                    secrets.delete(name);
                    removed.add(kind);
                } else if (s3.deleteIfWrittenBy(name, writer)) {
                    removed.add(kind);
                }
            } catch (SdkException e) {
                failed.add(kind.fileName() + " (" + AwsErrors.describe(e) + ")");
            }
        }
        java.util.Collections.reverse(removed);
        String kept = removed.size() + failed.size() < written.size() ? " (another writer's objects kept)" : "";
        return failed.isEmpty()
                ? "; rolled back " + (removed.isEmpty() ? "nothing of its own" : RemoteSaves.names(removed)) + kept
                : "; ROLLBACK FAILED for " + String.join(", ", failed) + ": remove key id " + keyId + " by hand";
    }

    private void deletePart(String keyId, KeyFileKind kind) {
        String name = layout.name(keyId, kind);
        if (AwsLayout.inSecretsManager(kind)) {
            secrets.delete(name);
        } else {
            s3.delete(name);
        }
    }

    @Override
    public Set<KeyFileKind> parts(String keyId) {
        KeyIds.check(keyId);
        Set<KeyFileKind> present = EnumSet.noneOf(KeyFileKind.class);
        for (KeyFileKind kind : KeyFileKind.values()) {
            String name = layout.name(keyId, kind);
            try {
                if (AwsLayout.inSecretsManager(kind) ? secrets.exists(name) : s3.exists(name)) {
                    present.add(kind);
                }
            } catch (SdkException e) {
                throw AwsErrors.store("checking " + layout.location(config.bucket(), keyId, kind), e);
            }
        }
        return present;
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) {
        String name = layout.name(keyId, kind);
        try {
            if (AwsLayout.inSecretsManager(kind)) {
                return new ByteArrayInputStream(secrets.get(name).getBytes(StandardCharsets.UTF_8));
            }
            return s3.open(name);
        } catch (SdkException e) {
            throw AwsErrors.store("reading " + layout.location(config.bucket(), keyId, kind), e);
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
            } catch (SdkException e) {
                throw AwsErrors.store("deleting " + layout.location(config.bucket(), keyId, kind), e);
            }
        }
    }

    /** Key ids with SecKey, EncKey and EvalKey present: one ListSecrets and one ListObjectsV2 listing. */
    @Override
    public List<String> list() {
        Set<String> sec = new TreeSet<>();
        Set<String> enc = new TreeSet<>();
        Set<String> eval = new TreeSet<>();
        try {
            for (String name : secrets.names(layout.root())) {
                add(sec, layout.keyIdOf(name, KeyFileKind.SECKEY));
            }
        } catch (SdkException e) {
            throw AwsErrors.store("listing secrets " + layout.root(), e);
        }
        try {
            for (String key : s3.keys(layout.root())) {
                add(enc, layout.keyIdOf(key, KeyFileKind.ENCKEY));
                add(eval, layout.keyIdOf(key, KeyFileKind.EVALKEY));
            }
        } catch (SdkException e) {
            throw AwsErrors.store("listing s3://" + config.bucket() + "/" + layout.root(), e);
        }
        sec.retainAll(enc);
        sec.retainAll(eval);
        return new ArrayList<>(sec);
    }

    private static void add(Set<String> ids, String id) {
        if (id != null) {
            ids.add(id);
        }
    }


    @Override
    public void close() {
        try {
            s3Client.close();
        } finally {
            smClient.close();
        }
    }

    @Override
    public String toString() {
        return "AwsKeyStore[" + config + "]";
    }
}
