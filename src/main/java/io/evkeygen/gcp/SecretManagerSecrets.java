package io.evkeygen.gcp;

import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ProjectName;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretName;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import com.google.protobuf.ByteString;
import io.evkeygen.error.KeygenException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The Secret Manager calls of the key store: CreateSecret (automatic replication), AddSecretVersion
 * (with a CRC32C the service checks), AccessSecretVersion of {@code latest} (its CRC32C checked here),
 * GetSecretVersion (existence without reading the payload), ListSecretVersions and DestroySecretVersion
 * (a replaced value's old versions), DeleteSecret and ListSecrets. Payloads
 * are never logged or put into messages.
 */
final class SecretManagerSecrets {
    /** Secret Manager's limit on a secret version's payload, in bytes. */
    static final int MAX_PAYLOAD_BYTES = 65_536;

    private final SecretManagerServiceClient sm;
    private final String project;

    SecretManagerSecrets(SecretManagerServiceClient sm, String project) {
        this.sm = sm;
        this.project = project;
    }

    /** Creates the secret; fails with ALREADY_EXISTS when the id is taken. */
    void create(String secretId) {
        sm.createSecret(CreateSecretRequest.newBuilder()
                .setParent(ProjectName.of(project).toString())
                .setSecretId(secretId)
                .setSecret(Secret.newBuilder()
                        .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                        .putLabels("managed-by", "evkeygen"))
                .build());
    }

    /** Adds a version holding {@code value}; returns its resource name. */
    String addVersion(String secretId, byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return sm.addSecretVersion(SecretName.of(project, secretId), SecretPayload.newBuilder()
                .setData(ByteString.copyFrom(value)).setDataCrc32C(crc.getValue()).build()).getName();
    }

    /**
     * Replaces the value of an existing secret: a new version (which {@code latest} reads from then on,
     * atomically), then every older version not yet destroyed is destroyed, so the old value does not
     * linger. Fails with NOT_FOUND when the secret is missing; a failure while destroying leaves the new
     * value in place and the old one readable only by version number.
     */
    void replace(String secretId, byte[] value) {
        String added = addVersion(secretId, value);
        for (SecretVersion v : sm.listSecretVersions(SecretName.of(project, secretId)).iterateAll()) {
            if (!v.getName().equals(added) && v.getState() != SecretVersion.State.DESTROYED) {
                sm.destroySecretVersion(v.getName());
            }
        }
    }

    /** The payload of the {@code latest} version, its checksum verified when the service sent one. */
    byte[] latest(String secretId) {
        AccessSecretVersionResponse r = sm.accessSecretVersion(SecretVersionName.of(project, secretId, "latest"));
        byte[] data = r.getPayload().getData().toByteArray();
        if (r.getPayload().hasDataCrc32C()) {
            CRC32C crc = new CRC32C();
            crc.update(data);
            if (crc.getValue() != r.getPayload().getDataCrc32C()) {
                Arrays.fill(data, (byte) 0);
                throw new KeygenException(KeygenException.Kind.STORE, "secret " + secretId
                        + ": the payload does not match its CRC32C (corrupted in transit)");
            }
        }
        return data;
    }

    /** Whether the secret has an enabled {@code latest} version. */
    boolean exists(String secretId) {
        try {
            SecretVersion v = sm.getSecretVersion(SecretVersionName.of(project, secretId, "latest"));
            return v.getState() == SecretVersion.State.ENABLED;
        } catch (RuntimeException e) {
            if (GcpErrors.grpc(e, "NOT_FOUND", "FAILED_PRECONDITION")) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the secret with all its versions; a missing secret is fine. */
    void delete(String secretId) {
        try {
            sm.deleteSecret(SecretName.of(project, secretId));
        } catch (RuntimeException e) {
            if (!GcpErrors.grpc(e, "NOT_FOUND")) {
                throw e;
            }
        }
    }

    /** Ids of the project's secrets whose id starts with {@code idPrefix}. */
    Set<String> ids(String idPrefix) {
        Set<String> ids = new HashSet<>();
        String parent = ProjectName.of(project).toString() + "/secrets/";
        ListSecretsRequest req = ListSecretsRequest.newBuilder().setParent(ProjectName.of(project).toString())
                .setFilter("name:" + idPrefix).build();
        for (Secret s : sm.listSecrets(req).iterateAll()) {
            String name = s.getName();
            String id = name.startsWith(parent) ? name.substring(parent.length()) : name;
            if (id.startsWith(idPrefix)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
