package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.params.EvalMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a service that makes key sets for many tenants shares one store; their uploads must
 * overlap, not queue behind one connection. The fake Secrets Manager holds each request a while
 * and counts how many it serves at once; the store is configured exactly as in production.
 */
class AwsConcurrentUploadsTest {
    private static final int SETS = 4;

    private AwsTestServers servers;

    @BeforeEach
    void start() throws Exception {
        servers = AwsTestServers.get();
        servers.secrets().clear();
    }

    @AfterEach
    void stop() {
        servers.secrets().clear();
    }

    @Test
    void concurrentSetsUploadInParallelThroughOneStore() throws Exception {
        String bucket = servers.newBucket();
        ExecutorService tenants = Executors.newFixedThreadPool(SETS);
        try (AwsKeyStore store = new AwsKeyStore(servers.config(bucket))) {
            servers.secrets().delayEachCall(300);
            List<Future<String>> saves = new ArrayList<>();
            for (int i = 0; i < SETS; i++) {
                String id = "tenant" + i;
                saves.add(tenants.submit(() -> KeyGenerator.builder().keyId(id).dims(32).evalMode(EvalMode.MM)
                        .backend("java").threads(1).build().generateKeys(store)));
            }
            for (Future<String> f : saves) {
                f.get(120, TimeUnit.SECONDS);
            }
            int overlap = servers.secrets().maxInFlight();
            assertTrue(overlap >= 2, "uploads of " + SETS + " concurrent sets overlapped at most " + overlap
                    + " at a time: they are serialised");
            assertEquals(List.of("tenant0", "tenant1", "tenant2", "tenant3"), store.list());
        } finally {
            tenants.shutdownNow();
        }
    }
}
