package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.spi.KeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * Deletion also starts with SecKey. Not safe against two writers racing for one key id: the
 * existence check runs before generation, and the final CreateSecret of SecKey refuses a name
 * another writer took in between (our parts are then rolled back).
 */
public final class AwsKeyStore implements KeyStore {
    /** The order of uploads; rollback and deletion run in reverse. */
    public static final List<KeyFileKind> UPLOAD_ORDER =
            List.of(KeyFileKind.EVALKEY, KeyFileKind.ENCKEY, KeyFileKind.METADATAKEY, KeyFileKind.SECKEY);

    private final AwsStoreConfig config;
    private final AwsLayout layout;
    private final S3Client s3Client;
    private final SecretsManagerClient smClient;
    private final S3Objects s3;
    private final SecretStrings secrets;

    public AwsKeyStore(AwsStoreConfig config) {
        this(config, AwsClients.s3(config), AwsClients.secrets(config));
    }

    /** With clients the caller built (closed by {@link #close()}). */
    public AwsKeyStore(AwsStoreConfig config, S3Client s3Client, SecretsManagerClient smClient) {
        this.config = config;
        this.layout = config.layout();
        this.s3Client = s3Client;
        this.smClient = smClient;
        this.s3 = new S3Objects(s3Client, config.bucket(), config.partSize());
        this.secrets = new SecretStrings(smClient);
    }

    public AwsLayout layout() {
        return layout;
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
        if (!present.isEmpty()) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "key id " + keyId + " already holds "
                    + names(present) + " in " + location(keyId)
                    + ": refusing to overwrite; choose another key id or delete it first", KeygenException.Setting.KEY_ID, null);
        }
        try (StagedKeySet staged = new StagedKeySet()) {
            writer.writeTo(staged);
            staged.checkUploadable();
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
            } catch (SdkException e) {
                String code = AwsErrors.code(e);
                KeygenException.Kind k = "ResourceExistsException".equals(code)
                        ? KeygenException.Kind.TARGET_EXISTS : KeygenException.Kind.STORE;
                throw new KeygenException(k, "uploading " + kind.fileName() + " to "
                        + layout.location(config.bucket(), keyId, kind) + " failed: " + AwsErrors.describe(e)
                        + rollback(keyId, written), e);
            } catch (RuntimeException e) {
                String rb = rollback(keyId, written);
                throw new KeygenException(KeygenException.Kind.STORE, "uploading " + kind.fileName() + " failed: "
                        + e.getClass().getSimpleName() + rb, e);
            }
        }
    }

    private void put(String keyId, KeyFileKind kind, StagedBlob blob) {
        String name = layout.name(keyId, kind);
        if (AwsLayout.inSecretsManager(kind)) {
            secrets.create(name, blob.text());
        } else {
            s3.put(name, blob);
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
            } catch (SdkException e) {
                failed.add(kind.fileName() + " (" + AwsErrors.describe(e) + ")");
            }
        }
        return failed.isEmpty()
                ? "; rolled back " + names(written)
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

    private static String names(Iterable<KeyFileKind> kinds) {
        List<String> n = new ArrayList<>();
        kinds.forEach(k -> n.add(k.fileName()));
        return String.join(", ", n);
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
