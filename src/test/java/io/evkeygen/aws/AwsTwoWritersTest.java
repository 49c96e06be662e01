package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeySetBlobs;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeySetWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 11 item 10: two writers racing for one new key id in S3 (S3Proxy, which honours
 * {@code If-None-Match: *}) and Secrets Manager (fake). Exactly one wins; its set downloads and
 * verifies; the loser fails with TARGET_EXISTS naming the key id and leaves nothing of its own.
 */
class AwsTwoWritersTest {
    private static final String ID = "race";

    @TempDir
    Path tmp;

    private AwsTestServers servers;
    private String bucket;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        servers = AwsTestServers.get();
        servers.secrets().clear();
        bucket = servers.newBucket();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private AwsKeyStore store(ExecutionInterceptor... interceptors) {
        AwsStoreConfig c = servers.config(bucket);
        S3Client s3 = AwsTestServers.s3(c, interceptors);
        SecretsManagerClient sm = AwsClients.secrets(c);
        AwsKeyStore store = new AwsKeyStore(c, s3, sm);
        open.add(store);
        return store;
    }

    private KeySetBlobs keys(int seedByte) throws IOException {
        return KeyGenerator.builder().keyPath(tmp).keyId(ID).dims(32).threads(2)
                .seed(io.evkeygen.secret.Seed.fromHex(String.format("%02x", seedByte).repeat(64))).build()
                .generateKeysStream();
    }

    private static KeySetWriter writer(KeySetBlobs blobs, Runnable beforeWriting) {
        return sink -> {
            beforeWriting.run();
            for (var e : blobs.files().entrySet()) {
                try (OutputStream out = sink.open(e.getKey())) {
                    out.write(e.getValue());
                }
            }
        };
    }

    /** The stored set is exactly {@code winner}'s, it downloads and verifies, and no object is the loser's. */
    private void storedSetIs(KeySetBlobs winner, String label) throws IOException {
        try (AwsKeyStore check = store()) {
            assertEquals(List.of(ID), check.list(), label);
            for (KeyFileKind kind : KeyFileKind.values()) {
                try (InputStream in = check.open(ID, kind)) {
                    assertArrayEquals(winner.get(kind), in.readAllBytes(), label + ": " + kind.fileName() + " is not the winner's");
                }
            }
            KeySet loaded = KeySet.load(check, ID, tmp.resolve("download-" + label));
            assertEquals(ID, loaded.keyId());
        }
    }

    private static void lostCleanly(KeygenException e) {
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("key id " + ID), e.getMessage());
        assertEquals(KeygenException.Setting.KEY_ID, e.setting().orElseThrow());
    }

    /** Hides existing objects from HEAD, as if the loser's checks ran before the winner wrote anything. */
    private static ExecutionInterceptor blindHead() {
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes a) {
                SdkHttpRequest r = c.httpRequest();
                return r.method() == SdkHttpMethod.HEAD && r.encodedPath().contains("/" + ID + "/")
                        ? r.toBuilder().encodedPath(r.encodedPath() + "-not-yet").build() : r;
            }
        };
    }

    @Test
    void aRetriedPutWhoseFirstAttemptLandedIsOurOwnObject() throws Exception {
        try (KeySetBlobs a = keys(1)) {
            store(S3Interceptors.dropFirstPutResponse(p -> true)).save(ID, writer(a, () -> { }));
            storedSetIs(a, "retried");
        }
    }

    @Test
    void secondWriterGetsPreconditionFailedAndKeepsTheFirstWritersSet() throws Exception {
        try (KeySetBlobs a = keys(1); KeySetBlobs b = keys(2)) {
            AwsKeyStore first = store();
            // the loser passed its existence check, then the winner uploads everything; the loser's
            // HEAD before each object is blinded, so its first PutObject meets If-None-Match: 412
            KeygenException e = assertThrows(KeygenException.class, () -> store(blindHead()).save(ID, writer(b,
                    () -> saveQuietly(first, a))));
            lostCleanly(e);
            assertTrue(e.getMessage().contains("412") || e.getMessage().contains("PreconditionFailed"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
            storedSetIs(a, "412");
        }
    }

    @Test
    void withoutConditionalWritesTheLoserStopsBeforeOverwriting() throws Exception {
        try (KeySetBlobs a = keys(1); KeySetBlobs b = keys(2)) {
            AwsKeyStore first = store(S3Interceptors.removeHeaders("If-None-Match"));
            // the loser passed its existence check; the winner uploads everything before the loser writes
            KeygenException e = assertThrows(KeygenException.class, () -> store(S3Interceptors.removeHeaders("If-None-Match")).save(ID, writer(b,
                    () -> saveQuietly(first, a))));
            lostCleanly(e);
            assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
            storedSetIs(a, "no-conditional");
        }
    }

    @Test
    void rollbackNeverDeletesAnotherWritersObject() throws Exception {
        try (KeySetBlobs a = keys(1); S3Client s3 = servers.s3()) {
            AwsKeyStore winner = store();
            winner.save(ID, writer(a, () -> { }));
            S3Objects objects = new S3Objects(s3, bucket, AwsStoreConfig.MIN_PART_SIZE);
            String key = new AwsLayout("").name(ID, KeyFileKind.EVALKEY);
            String owner = objects.writerOf(key);
            assertNotNull(owner, "objects carry their writer's marker");
            assertEquals(false, objects.deleteIfWrittenBy(key, "some-other-writer"));
            assertTrue(objects.exists(key));
            assertNull(objects.writerOf(key + "-missing"));
            storedSetIs(a, "marker");
        }
    }

    @Test
    void twoConcurrentWritersExactlyOneWins() throws Exception {
        try (KeySetBlobs a = keys(1); KeySetBlobs b = keys(2)) {
            CyclicBarrier bothChecked = new CyclicBarrier(2);
            Runnable await = () -> {
                try {
                    bothChecked.await(60, TimeUnit.SECONDS); // both passed the existence check
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            };
            AwsKeyStore sa = store();
            AwsKeyStore sb = store();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Object> fa = pool.submit(() -> outcome(() -> sa.save(ID, writer(a, await))));
                Future<Object> fb = pool.submit(() -> outcome(() -> sb.save(ID, writer(b, await))));
                Object ra = fa.get(120, TimeUnit.SECONDS);
                Object rb = fb.get(120, TimeUnit.SECONDS);
                boolean aWon = ra instanceof String;
                boolean bWon = rb instanceof String;
                assertTrue(aWon ^ bWon, "exactly one winner: " + ra + " / " + rb);
                lostCleanly((KeygenException) (aWon ? rb : ra));
                storedSetIs(aWon ? a : b, "concurrent");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void saveQuietly(AwsKeyStore store, KeySetBlobs blobs) {
        try {
            store.save(ID, writer(blobs, () -> { }));
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    private interface Save {
        String run() throws IOException;
    }

    private static Object outcome(Save save) {
        try {
            return save.run();
        } catch (KeygenException e) {
            return e;
        } catch (IOException e) {
            return e;
        }
    }
}
