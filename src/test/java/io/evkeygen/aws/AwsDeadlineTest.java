package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * S3 and Secrets Manager endpoints that send headers and then trickle the body for ever: every call
 * (a listing, a secret, an object download read after the call returned) ends at the store's
 * deadline with a one-line STORE error naming it; and the plaintext rule on the endpoints in use.
 */
class AwsDeadlineTest {
    private FakeTricklingServer trickling;
    private AwsKeyStore store;

    @BeforeEach
    void start() throws Exception {
        trickling = new FakeTricklingServer();
        store = new AwsKeyStore(AwsStoreConfig.of(AwsTestServers.REGION, "bucket", "")
                .withCredentials(AwsTestServers.CREDENTIALS).withEndpoints(trickling.uri(), trickling.uri())
                .withAccess(StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1))));
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        trickling.close();
    }

    @Test
    void aTricklingListingEndsAtTheDeadline() {
        assertEndsAtTheDeadline(() -> store.list());
    }

    @Test
    void aTricklingSecretEndsAtTheDeadline() {
        assertEndsAtTheDeadline(() -> store.open("k", KeyFileKind.SECKEY).close());
    }

    @Test
    void aTricklingObjectBodyEndsAtTheDeadline() {
        assertEndsAtTheDeadline(() -> {
            try (InputStream in = store.open("k", KeyFileKind.EVALKEY)) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void tricklingRecordCallsEndAtTheDeadline() {
        assertEndsAtTheDeadline(() -> store.records("kms").read("k"));
        assertEndsAtTheDeadline(() -> store.records("kms").ids());
        // a PutObject's 200 has no body to wait for: this endpoint "accepts" the probe's failing
        // conditional puts at once, and is refused for that, not for its slowness
        KeygenException e = assertThrows(KeygenException.class, () -> store.records("kms").create("k", new byte[] {1}));
        assertTrue(e.getMessage().contains("ignores If-None-Match or If-Match"), e.getMessage());
    }

    @Test
    void plaintextEndpointsOnAnotherMachineAreRefusedUnlessAllowed() {
        AwsStoreConfig remote = AwsStoreConfig.of(AwsTestServers.REGION, "bucket", "")
                .withCredentials(AwsTestServers.CREDENTIALS).withEndpoints(trickling.uri(),
                        URI.create("http://secrets.internal:4566"));
        KeygenException e = assertThrows(KeygenException.class, () -> new AwsKeyStore(remote));
        assertEquals(KeygenException.Setting.PLAINTEXT_REMOTE, e.setting().orElseThrow());
        assertTrue(e.getMessage().startsWith("the Secrets Manager endpoint http://secrets.internal:4566 is plaintext"),
                e.getMessage());
        try (AwsKeyStore allowed = new AwsKeyStore(remote.withAccess(StoreAccess.DEFAULT.withPlaintextRemoteAllowed(true)))) {
            assertEquals(1, allowed.plaintextWarnings().size(), allowed.plaintextWarnings().toString());
        }
    }

    private static void assertEndsAtTheDeadline(Executable call) {
        long start = System.nanoTime();
        KeygenException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(KeygenException.class, call));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 10_000, "took " + ms + " ms");
        assertEquals(KeygenException.Kind.STORE, e.kind(), e.getMessage());
        assertEquals(KeygenException.Setting.STORE_TIMEOUT, e.setting().orElse(null), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
