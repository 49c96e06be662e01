package io.evkeygen.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.StoreAccess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A Cloud Storage endpoint that trickles its answers, and the plaintext rule on both endpoints. */
class GcpDeadlineTest {
    @Test
    void aTricklingCloudStorageEndsNearTheDeadline() throws Exception {
        GcpTestServers servers = GcpTestServers.get();
        try (FakeTricklingServer trickling = new FakeTricklingServer();
             GcpKeyStore store = new GcpKeyStore(new GcpStoreConfig(GcpTestServers.PROJECT, "bucket", null, null,
                     trickling.uri().toString(), servers.secrets().endpoint(),
                     StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1))))) {
            long start = System.nanoTime();
            KeygenException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(KeygenException.class, store::list));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 15_000, "took " + ms + " ms");
            assertEquals(KeygenException.Kind.STORE, e.kind(), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void aTricklingRecordReadEndsAtTheDeadline() throws Exception {
        GcpTestServers servers = GcpTestServers.get();
        try (FakeTricklingServer trickling = new FakeTricklingServer();
             GcpKeyStore store = new GcpKeyStore(new GcpStoreConfig(GcpTestServers.PROJECT, "bucket", null, null,
                     trickling.uri().toString(), servers.secrets().endpoint(),
                     StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1))))) {
            KeygenException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(KeygenException.class, () -> store.records("kms").read("k")));
            assertEquals(KeygenException.Kind.STORE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("reading record gs://bucket/envector/keys/.kms-records/k.json: "),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void plaintextEndpointsOnAnotherMachineAreRefusedUnlessAllowed() throws Exception {
        GcpTestServers servers = GcpTestServers.get();
        GcpStoreConfig remoteSecrets = new GcpStoreConfig(GcpTestServers.PROJECT, "bucket", null, null,
                servers.gcs().host(), "secrets.internal:9090");
        KeygenException e = assertThrows(KeygenException.class, () -> new GcpKeyStore(remoteSecrets));
        assertEquals(KeygenException.Setting.PLAINTEXT_REMOTE, e.setting().orElseThrow());
        assertTrue(e.getMessage().startsWith("the Secret Manager endpoint secrets.internal:9090 is plaintext"), e.getMessage());
        GcpStoreConfig remoteStorage = new GcpStoreConfig(GcpTestServers.PROJECT, "bucket", null, null,
                "http://gcs.internal:4443", servers.secrets().endpoint());
        e = assertThrows(KeygenException.class, () -> new GcpKeyStore(remoteStorage));
        assertTrue(e.getMessage().startsWith("the Cloud Storage endpoint http://gcs.internal:4443 is plaintext"), e.getMessage());
        try (GcpKeyStore allowed = new GcpKeyStore(remoteStorage.withAccess(StoreAccess.DEFAULT.withPlaintextRemoteAllowed(true)))) {
            assertEquals(1, allowed.plaintextWarnings().size(), allowed.plaintextWarnings().toString());
        }
    }
}
