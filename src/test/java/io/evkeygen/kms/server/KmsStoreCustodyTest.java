package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.server.internal.proto.CommonV2.ResponseHeader;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store the server may only use through the {@code KeyStore} port: metadata opens through a private
 * copy of the sealed file, downloads are sized by a pass over the object, and a store that cannot
 * replace one secret (not a {@code RemoteKeyStore}; here a local store not declared as local) has
 * rotation and destruction refused before any record changes. {@link KmsRemoteCustodyTest} rotates
 * and destroys on a remote store.
 */
class KmsStoreCustodyTest {
    @TempDir
    Path tmp;

    @Test
    void throughThePortOnlyMetadataAndDownloadWorkAndRotateAndDestroyAreRefusedUpFront() throws Exception {
        try (KmsFixture kms = new KmsFixture(tmp, KmsFixture.plaintext(), false)) {
            kms.generateAndWait("port-1");
            var enc = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                    .setKeyId("port-1").addPlaintextMetadata("via the port").build());
            assertEquals(ReturnCode.Success, enc.getHeader().getReturnCode());
            var dec = kms.call(KmsRpcs.DECRYPT_METADATA, DecryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                    .setKeyId("port-1").addAllEncryptedMetadata(enc.getEncryptedMetadataList()).build());
            assertEquals(List.of("via the port"), dec.getPlaintextMetadataList());
            assertEquals(Files.size(kms.keyPath.resolve("port-1/EvalKey.json")),
                    kms.downloadBytes("port-1", KeyFileType.KEY_FILE_TYPE_EVAL_KEY).length);
            for (KeyState to : List.of(KeyState.KEY_STATE_ROTATING, KeyState.KEY_STATE_DESTROYED)) {
                ResponseHeader h = kms.transition("port-1", to);
                assertEquals(ReturnCode.Fail, h.getReturnCode());
                assertTrue(h.getErrorMessage().contains("needs a store that replaces one secret at a time"), h.getErrorMessage());
            }
            assertEquals(KeyState.KEY_STATE_ACTIVE, KmsServerTest.state(kms, "port-1"), "the record did not change");
            assertTrue(Files.exists(kms.keyPath.resolve("port-1/SecKey.json")));
        }
    }
}
