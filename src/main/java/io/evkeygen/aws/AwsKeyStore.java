package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.ObjectStore;
import io.evkeygen.spi.remote.RemoteKeyStore;
import io.evkeygen.spi.remote.SecretStore;
import io.evkeygen.spi.remote.StagedKeySet;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Key sets in AWS, laid out as the Python SDK does (spec section 9): SecKey and MetadataKey as
 * Secrets Manager SecretStrings, EncKey and EvalKey as S3 objects. Save, rollback, delete and list
 * are {@link RemoteKeyStore}'s; this class adapts S3 and Secrets Manager to its two ports.
 *
 * <p>Two writers racing for one new key id: the existence check runs before generation, so both may
 * pass it. S3 objects are then written with {@code If-None-Match: *} (PutObject and
 * CompleteMultipartUpload) and marked with the save's id; the second writer gets 412
 * PreconditionFailed and fails with TARGET_EXISTS, rolling back only objects that carry its own
 * marker. Where the endpoint ignores conditional writes, CreateSecret of MetadataKey and SecKey
 * still decides (ResourceExistsException: TARGET_EXISTS), the loser again deletes only its own
 * objects, and the winner, once its SecKey exists, rewrites any S3 object that no longer carries
 * its marker (README, AWS section).
 */
public final class AwsKeyStore extends RemoteKeyStore {
    private static final System.Logger LOG = System.getLogger(AwsKeyStore.class.getName());

    private final AwsStoreConfig config;
    private final S3Client s3Client;
    private final SecretsManagerClient smClient;
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
        super(new S3Parts(config, new S3Objects(s3Client, config.bucket(), config.partSize(),
                config.access().callTimeout())), new SecretParts(config.layout(), new SecretStrings(smClient)));
        this.plaintextWarnings = plaintextWarnings(config.access(), s3Client, smClient);
        this.config = config;
        this.s3Client = s3Client;
        this.smClient = smClient;
    }

    public AwsLayout layout() {
        return config.layout();
    }

    @Override
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
    @Override
    public String location(String keyId) {
        String root = layout().root();
        return "s3://" + config.bucket() + "/" + root + keyId + "/ + secrets " + root + keyId + "/";
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

    /** EncKey and EvalKey as S3 objects, created with {@code If-None-Match: *} and marked with the save's id. */
    private record S3Parts(AwsStoreConfig config, S3Objects s3) implements ObjectStore {
        private String name(String keyId, KeyFileKind kind) {
            return config.layout().name(keyId, kind);
        }

        @Override
        public void requireReady() {
            s3.requireBucket();
        }

        @Override
        public void create(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) {
            String name = name(keyId, kind);
            try {
                if (s3.exists(name)) {
                    // taken after our existence check (and, where the endpoint ignores If-None-Match,
                    // this check is what keeps us from overwriting it)
                    throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "the object already exists");
                }
                s3.put(name, staged.get(kind), saveId, true);
            } catch (SdkException e) {
                if (S3Objects.preconditionFailed(e) && writtenBy(name, saveId)) {
                    return; // the SDK retried a PutObject whose first attempt got through: ours
                }
                throw AwsErrors.failure(e);
            }
        }

        /** Once SecKey made the id ours: puts back an object a losing writer overwrote (no If-None-Match here). */
        @Override
        public void confirm(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) {
            String name = name(keyId, kind);
            try {
                if (!saveId.equals(s3.writerOf(name))) {
                    LOG.log(Level.WARNING, "{0} was overwritten by another writer (the endpoint ignores"
                            + " If-None-Match); writing it again", where(keyId, kind));
                    s3.put(name, staged.get(kind), saveId, false);
                }
            } catch (SdkException e) {
                throw AwsErrors.failure(e);
            }
        }

        /** Whether the object carries this save's marker; false when that cannot be told. */
        private boolean writtenBy(String name, String saveId) {
            try {
                return saveId.equals(s3.writerOf(name));
            } catch (SdkException e) {
                return false;
            }
        }

        @Override
        public boolean exists(String keyId, KeyFileKind kind) {
            return AwsErrors.call(() -> s3.exists(name(keyId, kind)));
        }

        @Override
        public InputStream open(String keyId, KeyFileKind kind) {
            return AwsErrors.call(() -> s3.open(name(keyId, kind)));
        }

        @Override
        public void delete(String keyId, KeyFileKind kind) {
            AwsErrors.run(() -> s3.delete(name(keyId, kind)));
        }

        /** Only while the object carries this save's marker (deleted with {@code If-Match}), never another writer's. */
        @Override
        public boolean deleteOwn(String keyId, KeyFileKind kind, String saveId) {
            return AwsErrors.call(() -> s3.deleteIfWrittenBy(name(keyId, kind), saveId));
        }

        @Override
        public Set<String> ids() {
            AwsLayout layout = config.layout();
            try {
                return layout.idsHolding(s3.keys(layout.root()), KeyFileKind.ENCKEY, KeyFileKind.EVALKEY);
            } catch (SdkException e) {
                throw AwsErrors.store("listing s3://" + config.bucket() + "/" + layout.root(), e);
            }
        }

        @Override
        public String where(String keyId, KeyFileKind kind) {
            return config.layout().location(config.bucket(), keyId, kind);
        }
    }

    /** SecKey and MetadataKey as SecretStrings, created with CreateSecret (refuses a taken name). */
    private record SecretParts(AwsLayout layout, SecretStrings secrets) implements SecretStore {
        @Override
        public String service() {
            return "Secrets Manager";
        }

        @Override
        public long maxValueBytes() {
            return SecretStrings.MAX_VALUE_BYTES;
        }

        @Override
        public void create(String keyId, KeyFileKind kind, String envelope) {
            AwsErrors.run(() -> secrets.create(layout.name(keyId, kind), envelope));
        }

        @Override
        public byte[] get(String keyId, KeyFileKind kind) {
            return AwsErrors.call(() -> secrets.get(layout.name(keyId, kind)).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean exists(String keyId, KeyFileKind kind) {
            return AwsErrors.call(() -> secrets.exists(layout.name(keyId, kind)));
        }

        @Override
        public void delete(String keyId, KeyFileKind kind) {
            AwsErrors.run(() -> secrets.delete(layout.name(keyId, kind)));
        }

        @Override
        public Set<String> holdingSecKey(Set<String> candidates) {
            try {
                return layout.idsHolding(secrets.names(layout.root()), KeyFileKind.SECKEY);
            } catch (SdkException e) {
                throw AwsErrors.store("listing secrets " + layout.root(), e);
            }
        }

        @Override
        public String where(String keyId, KeyFileKind kind) {
            return layout.location(null, keyId, kind);
        }
    }
}
