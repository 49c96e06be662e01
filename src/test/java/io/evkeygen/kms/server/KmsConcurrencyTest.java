package io.evkeygen.kms.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyStores;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.RecordStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 items 2 and 6: concurrent GenerateKey of one new id generates exactly one set, on one
 * server (16 threads) and on two servers sharing one key path; a generation whose server died
 * (its lease expired) is FAILED and may be generated again.
 */
class KmsConcurrencyTest {
    @TempDir
    Path tmp;

    /**
     * Issue 23 item 5: 4 clients on 2 cores must not queue behind one generation thread (bench
     * --concurrent 4 keeps 4 sets in flight). Each generation is held at its start until as many as
     * the default pool should run, twice the processors, have started together.
     */
    @Test
    void defaultPoolGeneratesTwiceTheProcessorsAtOnce() throws Exception {
        int expected = 2 * Runtime.getRuntime().availableProcessors();
        CountDownLatch allStarted = new CountDownLatch(expected);
        CountDownLatch release = new CountDownLatch(1);
        try (KmsFixture kms = new KmsFixture(tmp, KmsFixture.plaintext().steps((id, step) -> {
            if (step.equals(KmsSteps.GENERATION_STARTED)) {
                allStarted.countDown();
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }))) {
            try {
                for (int i = 0; i < expected; i++) {
                    GenerateKeyResponse r = kms.generate("pool-" + i);
                    assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, r.getStatus(), r.toString());
                }
                assertTrue(allStarted.await(2, TimeUnit.MINUTES), "only " + (expected - allStarted.getCount())
                        + " of " + expected + " generations ran at once");
            } finally {
                release.countDown();
            }
            for (int i = 0; i < expected; i++) {
                kms.waitReady("pool-" + i);
                assertTrue(KeyStores.local(kms.keyPath).exists("pool-" + i), "pool-" + i + " saved");
            }
        }
    }

    @Test
    void sixteenThreadsOnOneIdGenerateOnce() throws Exception {
        AtomicInteger generations = new AtomicInteger();
        try (KmsFixture kms = new KmsFixture(tmp, KmsFixture.plaintext().steps((id, step) -> {
            if (step.equals(KmsSteps.GENERATION_STARTED)) {
                generations.incrementAndGet();
            }
        }))) {
            List<GenerateKeyResponse> answers = race(16, () -> kms.generate("race-1"));
            kms.waitReady("race-1");
            assertEquals(1, generations.get(), "exactly one generation");
            long pending = answers.stream().filter(a -> a.getStatus() == KeyGenStatus.KEY_GEN_STATUS_PENDING
                    && a.getHeader().getReturnCode() == ReturnCode.Success).count();
            assertEquals(1, pending, "one caller started it");
            for (GenerateKeyResponse a : answers) {
                boolean started = a.getStatus() == KeyGenStatus.KEY_GEN_STATUS_PENDING;
                boolean inProgress = a.getHeader().getReturnCode() == ReturnCode.Fail
                        && a.getHeader().getErrorMessage().contains("already in progress");
                boolean ready = a.getStatus() == KeyGenStatus.KEY_GEN_STATUS_READY;
                assertTrue(started || inProgress || ready, a.toString());
            }
        }
    }

    @Test
    void twoServersSharingAKeyPathGenerateOnce() throws Exception {
        AtomicInteger generations = new AtomicInteger();
        KmsSteps count = (id, step) -> {
            if (step.equals(KmsSteps.GENERATION_STARTED)) {
                generations.incrementAndGet();
            }
        };
        Path shared = tmp.resolve("shared");
        try (KmsFixture a = new KmsFixture(shared, KmsFixture.plaintext().steps(count));
             KmsFixture b = new KmsFixture(shared, KmsFixture.plaintext().steps(count))) {
            List<GenerateKeyResponse> answers = race(16, new Supplier<>() {
                final AtomicInteger n = new AtomicInteger();

                @Override
                public GenerateKeyResponse get() {
                    return (n.getAndIncrement() % 2 == 0 ? a : b).generate("race-2");
                }
            });
            a.waitReady("race-2");
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, b.status("race-2"));
            assertEquals(1, generations.get());
            assertEquals(1, answers.stream().filter(x -> x.getStatus() == KeyGenStatus.KEY_GEN_STATUS_PENDING).count());
        }
    }

    @Test
    void aGenerationWhoseServerDiedIsFailedOnceItsLeaseExpiresAndMayRunAgain() throws Exception {
        try (KmsFixture kms = new KmsFixture(tmp, KmsFixture.plaintext().lease(Duration.ofMillis(300)))) {
            RecordStore records = KeyStores.local(kms.keyPath).records("kms");
            KmsRecord orphan = KmsRecord.pending("IP0", "RMP", List.of(32), true, Instant.now(), "alice", "dead-server");
            assertTrue(records.create("orphan", orphan.toJson()));
            Files.createDirectories(kms.keyPath.resolve("orphan"));
            Files.writeString(kms.keyPath.resolve("orphan/EncKey.json"), "partial"); // a part a dead generation left
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, kms.status("orphan"), "the lease is still fresh");
            Thread.sleep(700);
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_FAILED, kms.status("orphan"));
            String record = new String(records.read("orphan").orElseThrow().bytes(), StandardCharsets.UTF_8);
            assertTrue(record.contains("abandoned"), record);
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, kms.generate("orphan").getStatus());
            kms.waitReady("orphan");
            assertTrue(Files.size(kms.keyPath.resolve("orphan/EncKey.json")) > 100, "a whole new set");
        }
    }

    @Test
    void aFailedGenerationIsFailedWithNothingLeftAndMayRunAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (KmsFixture kms = new KmsFixture(tmp, KmsFixture.plaintext().steps((id, step) -> {
            if (step.equals(KmsSteps.GENERATION_STARTED) && attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("injected generation failure");
            }
        }))) {
            kms.generate("fails-once");
            KeyGenStatus s;
            do {
                Thread.sleep(20);
                s = kms.status("fails-once");
            } while (s == KeyGenStatus.KEY_GEN_STATUS_PENDING);
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_FAILED, s);
            assertFalse(Files.exists(kms.keyPath.resolve("fails-once/SecKey.json")));
            assertEquals(0, KmsServerTest.versions(kms, "fails-once"), "the SDK reads a failed id as absent");
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, kms.generate("fails-once").getStatus());
            kms.waitReady("fails-once");
            assertEquals(2, attempts.get());
        }
    }

    @Test
    void aLiveGenerationKeepsItsLeaseByHeartbeat() throws Exception {
        // plain polls (no status wait), so that ten of them, 100 ms apart, all fall within the generation
        try (KmsFixture kms = new KmsFixture(tmp, KmsFixture.plaintext().lease(Duration.ofMillis(300)).statusWait(Duration.ZERO)
                .steps((id, step) -> {
                    if (step.equals(KmsSteps.GENERATION_STARTED)) {
                        KmsServerTest.sleep(1500); // five leases long
                    }
                }))) {
            kms.generate("slow-1");
            for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, kms.status("slow-1"));
            }
            kms.waitReady("slow-1");
        }
    }

    private static List<GenerateKeyResponse> race(int n, Supplier<GenerateKeyResponse> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<GenerateKeyResponse>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.get();
                }));
            }
            go.countDown();
            List<GenerateKeyResponse> answers = new ArrayList<>();
            for (Future<GenerateKeyResponse> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
