package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.OptionalLibraries;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.remote.BucketObjects;
import io.evkeygen.spi.remote.RemoteKeyStore;
import io.evkeygen.spi.remote.RemoteRecords;
import io.evkeygen.spi.remote.SecretStore;
import io.evkeygen.spi.remote.StagedKeySet;
import io.evkeygen.spi.remote.StoreAccess;
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
    private final S3Records records;

    /**
     * With clients configured from {@code config} ({@link AwsClients}).
     *
     * @throws KeygenException USAGE naming the AWS SDK jars to add when they are not on the class path
     */
    public AwsKeyStore(AwsStoreConfig config) {
        this(config, s3(config), AwsClients.secrets(config));
    }

    /** The S3 client, once the SDK is known to be there: before it, no class that links the SDK is touched. */
    private static S3Client s3(AwsStoreConfig config) {
        OptionalLibraries.AWS_STORE.require("AwsKeyStore");
        return AwsClients.s3(config);
    }

    /**
     * With clients the caller built (closed by {@link #close()}).
     *
     * @throws KeygenException USAGE when a client's endpoint is {@code http://} on another machine and
     *         the config's access does not allow it (see {@link #plaintextWarnings()})
     */
    public AwsKeyStore(AwsStoreConfig config, S3Client s3Client, SecretsManagerClient smClient) {
        super(new S3Parts(config.layout(), new S3Objects(s3Client, config.bucket(), config.partSize(),
                config.access().callTimeout())), new SecretParts(config.layout(), new SecretStrings(smClient)),
                config, s3Client, smClient);
        this.config = config;
        this.records = new S3Records(s3Client, config.bucket());
        plaintextWarnings(plaintextWarnings(config.access(), s3Client, smClient));
    }

    public AwsLayout layout() {
        return config.layout();
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

    /**
     * Records as S3 objects {@code <prefix>/.<namespace>-records/<key_id>.json} in the bucket, written
     * with {@code If-None-Match: *} and {@code If-Match} ({@link S3Records}).
     */
    @Override
    public RecordStore records(String namespace) {
        return new RemoteRecords(layout(), namespace, records);
    }

    /** A readable location of a key set. */
    @Override
    public String location(String keyId) {
        String root = layout().root();
        return "s3://" + config.bucket() + "/" + root + keyId + "/ + secrets " + root + keyId + "/";
    }

    /**
     * EncKey and EvalKey as S3 objects ({@link S3Objects#create}: {@code If-None-Match: *}, marked with
     * the save's id); a rollback deletes only objects that still carry that marker.
     */
    private static final class S3Parts extends BucketObjects<SdkException> {
        private final S3Objects s3;

        S3Parts(AwsLayout layout, S3Objects s3) {
            super(layout, s3, SdkException.class, AwsErrors::failure);
            this.s3 = s3;
        }

        /** Once SecKey made the id ours: puts back an object a losing writer overwrote (no If-None-Match here). */
        @Override
        public void confirm(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) {
            String name = name(keyId, kind);
            if (!saveId.equals(call(() -> s3.writerOf(name)))) {
                LOG.log(Level.WARNING, "{0} was overwritten by another writer (the endpoint ignores"
                        + " If-None-Match); writing it again", where(keyId, kind));
                AwsErrors.run(() -> s3.put(name, staged.get(kind), saveId, false));
            }
        }

        /** Only while the object carries this save's marker (deleted with {@code If-Match}), never another writer's. */
        @Override
        public boolean deleteOwn(String keyId, KeyFileKind kind, String saveId) {
            return call(() -> s3.deleteIfWrittenBy(name(keyId, kind), saveId));
        }
    }

    /** SecKey and MetadataKey as SecretStrings, created with CreateSecret (refuses a taken name). */
    private record SecretParts(AwsLayout layout, SecretStrings secrets) implements SecretStore {
        @Override
        public Limit limit() {
            return new Limit("Secrets Manager", SecretStrings.MAX_VALUE_BYTES);
        }

        @Override
        public void create(String keyId, KeyFileKind kind, String envelope) {
            AwsErrors.run(() -> secrets.create(layout.name(keyId, kind), envelope));
        }

        /** PutSecretValue: a new AWSCURRENT version. */
        @Override
        public void replace(String keyId, KeyFileKind kind, String envelope) {
            AwsErrors.run(() -> secrets.replace(layout.name(keyId, kind), envelope));
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
