package io.evkeygen.kms.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.aws.AwsKeyStore;
import io.evkeygen.aws.AwsTestServers;
import io.evkeygen.gcp.GcpKeyStore;
import io.evkeygen.gcp.GcpTestServers;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.kms.internal.KmsRpcs;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.kms.internal.proto.KmsV2.KeyType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyVersionRecord;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.server.internal.proto.CommonV2.ResponseHeader;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.testutil.SecretReplaceChecks;
import io.evkeygen.vault.FakeVaultServer;
import io.evkeygen.vault.VaultKeyStore;
import io.evkeygen.vault.VaultStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ROTATING and DESTROYED on the remote stores (AWS over S3Proxy and FakeSecretsManagerServer, Google
 * Cloud over FakeGcsServer and FakeSecretManagerServer, Vault KV v2 over FakeVaultServer): the server
 * reseals or deletes one secret at a time through the {@code KeyStore} port. A failed second replace
 * is injected at the service (Vault's fake fails MetadataKey's write).
 */
class KmsRemoteCustodyTest {
    private static final String TOKEN = "hvs.fake-token-for-kms-tests";
    private static final String SEC = "envector/keys/k-1/sec_blob";
    private static final String META = "envector/keys/k-1/metadata_blob";

    @TempDir
    Path tmp;

    private FakeVaultServer vault;
    private KeyStore store;
    private KmsFixture kms;

    private void start(String service) throws Exception {
        store = switch (service) {
            case "aws" -> {
                AwsTestServers aws = AwsTestServers.get();
                aws.secrets().clear();
                yield new AwsKeyStore(aws.config(aws.newBucket()));
            }
            case "gcp" -> new GcpKeyStore(GcpTestServers.get().config("kms-rotation"));
            default -> {
                vault = new FakeVaultServer("kv-kms", 2, TOKEN);
                yield new VaultKeyStore(new VaultStoreConfig(vault.address(),
                        SecretBytes.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8)), "kv-kms", 2, null, null, null,
                        tmp.resolve("kms/keys")));
            }
        };
        kms = new KmsFixture(tmp.resolve("kms"), KmsFixture.plaintext(), store);
        kms.generateAndWait("k-1");
    }

    @AfterEach
    void stop() throws Exception {
        if (kms != null) {
            kms.close();
        }
        if (store != null) {
            store.close();
        }
        if (vault != null) {
            vault.close();
            assertEquals(List.of(), vault.problems(), "request shapes seen by the fake Vault");
        }
    }

    private byte[] envelope(KeyFileKind kind) throws Exception {
        return SecretReplaceChecks.envelope(store, "k-1", kind);
    }

    private byte[] encrypt(String plaintext) {
        var r = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("k-1").addPlaintextMetadata(plaintext).build());
        assertEquals(ReturnCode.Success, r.getHeader().getReturnCode(), r.getHeader().getErrorMessage());
        return r.getEncryptedMetadata(0).toByteArray();
    }

    private List<String> decrypt(byte[] ciphertext) {
        var r = kms.call(KmsRpcs.DECRYPT_METADATA, DecryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("k-1").addEncryptedMetadata(KmsFixture.bytes(ciphertext)).build());
        assertEquals(ReturnCode.Success, r.getHeader().getReturnCode(), r.getHeader().getErrorMessage());
        return r.getPlaintextMetadataList();
    }

    /** The set as the store holds it, downloaded and verified with the master key (every file opens). */
    private byte[] verifiedSecretKey(String dir) throws Exception {
        KeySet.load(store, "k-1", tmp.resolve(dir));
        try (SecretBytes sk = KeySet.load(tmp.resolve(dir).resolve("k-1"), kms.master).secretKey()) {
            return sk.reveal().clone();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "vault"})
    void rotationResealsBothSecretsInTheStoreAndChangesNoKey(String service) throws Exception {
        start(service);
        byte[] enc = kms.downloadBytes("k-1", KeyFileType.KEY_FILE_TYPE_ENC_KEY);
        byte[] eval = kms.downloadBytes("k-1", KeyFileType.KEY_FILE_TYPE_EVAL_KEY);
        byte[] sec = envelope(KeyFileKind.SECKEY);
        byte[] meta = envelope(KeyFileKind.METADATAKEY);
        byte[] secretKey = verifiedSecretKey("before");
        byte[] old = encrypt("before rotation");

        ResponseHeader h = kms.transition("k-1", KeyState.KEY_STATE_ROTATING);
        assertEquals(ReturnCode.Success, h.getReturnCode(), h.getErrorMessage());

        assertEquals(KeyState.KEY_STATE_ACTIVE, KmsServerTest.state(kms, "k-1"), "back to ACTIVE");
        assertArrayEquals(enc, kms.downloadBytes("k-1", KeyFileType.KEY_FILE_TYPE_ENC_KEY), "EncKey byte-identical");
        assertArrayEquals(eval, kms.downloadBytes("k-1", KeyFileType.KEY_FILE_TYPE_EVAL_KEY), "EvalKey byte-identical");
        assertFalse(Arrays.equals(sec, envelope(KeyFileKind.SECKEY)), "SecKey resealed");
        assertFalse(Arrays.equals(meta, envelope(KeyFileKind.METADATAKEY)), "MetadataKey resealed");
        if (vault != null) {
            for (String path : List.of(SEC, META)) {
                assertEquals(List.of(true, false), vault.versions(path).stream().map(v -> v == null).toList(),
                        path + ": the old sealing's version destroyed, the new one current");
            }
        }
        assertArrayEquals(secretKey, verifiedSecretKey("after"), "the same SecKey");
        assertEquals(List.of("before rotation"), decrypt(old), "metadata from before decrypts");
        assertEquals(List.of("after"), decrypt(encrypt("after")));
    }

    @Test
    void aFailedSecondReplaceLeavesEveryFileOpeningAndARotationAfterFinishes() throws Exception {
        start("vault");
        Map<String, String> before = vault.values();
        byte[] secretKey = verifiedSecretKey("before");
        byte[] old = encrypt("before the failed rotation");
        vault.failWriteTo("metadata_blob", 503); // SecKey is replaced first; MetadataKey's replace fails

        ResponseHeader h = kms.transition("k-1", KeyState.KEY_STATE_ROTATING);
        assertEquals(ReturnCode.DependencyError, h.getReturnCode(), "the store failed");
        assertTrue(h.getErrorMessage().contains("metadata_blob") && h.getErrorMessage().contains("503"),
                h.getErrorMessage());
        assertEquals(KeyState.KEY_STATE_ACTIVE, KmsServerTest.state(kms, "k-1"), "the state before");
        assertFalse(before.get(SEC).equals(vault.values().get(SEC)), "SecKey under the new sealing");
        assertEquals(before.get(META), vault.values().get(META), "MetadataKey under the old sealing");
        assertArrayEquals(secretKey, verifiedSecretKey("between"), "a mixed set opens and verifies under the master key");
        assertEquals(List.of("before the failed rotation"), decrypt(old));

        h = kms.transition("k-1", KeyState.KEY_STATE_ROTATING);
        assertEquals(ReturnCode.Success, h.getReturnCode(), h.getErrorMessage());
        assertFalse(before.get(META).equals(vault.values().get(META)), "MetadataKey resealed by the next rotation");
        assertEquals(List.of("before the failed rotation"), decrypt(old));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "vault"})
    void destroyDeletesOnlyTheSecretsAndRefusesLaterCalls(String service) throws Exception {
        start(service);
        byte[] enc = envelope(KeyFileKind.ENCKEY);
        byte[] eval = envelope(KeyFileKind.EVALKEY);
        ResponseHeader h = kms.transition("k-1", KeyState.KEY_STATE_DESTROYED);
        assertEquals(ReturnCode.Success, h.getReturnCode(), h.getErrorMessage());

        assertEquals(EnumSet.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY), store.parts("k-1"), "only the secrets went");
        assertArrayEquals(enc, envelope(KeyFileKind.ENCKEY), "public half stays");
        assertArrayEquals(eval, envelope(KeyFileKind.EVALKEY));
        if (vault != null) {
            assertNull(vault.versions(SEC), "SecKey gone with every version");
            assertNull(vault.versions(META), "MetadataKey gone with every version");
        }
        var details = kms.call(KmsRpcs.GET_KEY_DETAILS, GetKeyDetailsRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("k-1").build());
        assertEquals(List.of(KeyType.KEY_TYPE_ENC_KEY, KeyType.KEY_TYPE_EVAL_KEY),
                details.getVersionsList().stream().map(KeyVersionRecord::getKeyType).toList(), "the record stays");
        assertEquals(KeyState.KEY_STATE_DESTROYED, details.getVersions(0).getState());
        var refused = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder()
                .setHeader(KmsFixture.header()).setKeyId("k-1").addPlaintextMetadata("x").build()).getHeader();
        assertEquals(ReturnCode.Fail, refused.getReturnCode());
        assertTrue(refused.getErrorMessage().contains("key k-1 is destroyed"), refused.getErrorMessage());
        assertEquals(ReturnCode.InvalidInput, kms.transition("k-1", KeyState.KEY_STATE_ROTATING).getReturnCode());
        assertEquals(ReturnCode.Fail, kms.generate("k-1").getHeader().getReturnCode(), "no second set under the id");
    }
}
