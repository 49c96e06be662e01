package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import io.evkeygen.secret.SecretBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyManagerTest {
    @TempDir
    Path tmp;

    @Test
    void anExistingInvalidSetIsNeverRegenerated() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("demo"));
        Files.writeString(dir.resolve("SecKey.json"), "{broken");
        Files.writeString(dir.resolve("EncKey.json"), "{broken");
        Files.writeString(dir.resolve("EvalKey.json"), "{broken");
        KeygenException e = assertThrows(KeygenException.class,
                () -> KeyManager.ensureKeys(tmp, "demo", List.of(32), EvalMode.RMP));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals("{broken", Files.readString(dir.resolve("SecKey.json")));
        assertEquals(List.of("EncKey.json", "EvalKey.json", "SecKey.json"), TestSupport.list(dir));
    }

    @Test
    void ensureKeysGeneratesThenLoads() throws Exception {
        KeySet first = KeyManager.ensureKeys(tmp, "demo", List.of(32, 64), EvalMode.RMP);
        assertEquals(List.of(32, 64), first.dims());
        assertEquals(EvalMode.RMP, first.evalMode());
        assertEquals("demo", first.keyId());
        assertTrue(first.hasMetadataKey());
        KeySet second = KeyManager.ensureKeys(tmp, "demo", List.of(32), EvalMode.RMP);
        assertArrayEquals(first.encKeyBytes(), second.encKeyBytes(), "loaded, not regenerated");
        try (SecretBytes sk = second.secretKey()) {
            assertEquals(1029, sk.length());
        }
        KeygenException mismatch = assertThrows(KeygenException.class,
                () -> KeyManager.ensureKeys(tmp, "demo", List.of(32), EvalMode.FLAT));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, mismatch.kind());
    }

    @Test
    void settingsLeftAtTheirDefaultsAreNoRequestAboutAnExistingSet() throws Exception {
        KeyGenerator.builder().keyPath(tmp).keyId("small").dims(64).metadataEncryption(false).build().generateKeys();

        KeySet loaded = KeyManager.ensureKeys(KeyGenerator.builder().keyPath(tmp).keyId("small").build());
        assertEquals(List.of(64), loaded.dims());
        assertFalse(loaded.hasMetadataKey());
        assertEquals(List.of(64), KeyManager.ensureKeys(tmp, "small", null, null).dims());
        assertEquals(List.of(64), KeyManager.ensureKeys(tmp, "small", List.of(), EvalMode.RMP).dims());

        // what is given is still compared, and the message names only that
        KeygenException dims = assertThrows(KeygenException.class,
                () -> KeyManager.ensureKeys(KeyGenerator.builder().keyPath(tmp).keyId("small").dims(128).build()));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, dims.kind());
        assertTrue(dims.getMessage().endsWith("(RMP, dims [64], no metadata key) does not match the request"
                + " (dims [128]): use another key id"), dims.getMessage());
        KeygenException mode = assertThrows(KeygenException.class,
                () -> KeyManager.ensureKeys(tmp, "small", null, EvalMode.MM));
        assertTrue(mode.getMessage().contains("does not match the request (MM)"), mode.getMessage());
        KeygenException metadata = assertThrows(KeygenException.class, () -> KeyManager.ensureKeys(
                KeyGenerator.builder().keyPath(tmp).keyId("small").metadataEncryption(true).build()));
        assertTrue(metadata.getMessage().contains("does not match the request (metadata encryption)"),
                metadata.getMessage());
    }

    /** Counts generations: a key set reads the clock once, for created_at; loading never does. */
    private static final class CountingClock extends Clock {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            reads.incrementAndGet();
            return Instant.now();
        }
    }

    @Test
    void concurrentCallersAllGetTheOneSetGeneratedOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String keyId = "race" + round;
                CountingClock clock = new CountingClock();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<KeySet>> calls = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Callable<KeySet> call = () -> {
                        KeyGenerator g = KeyGenerator.builder().keyPath(tmp).keyId(keyId).evalMode(EvalMode.MM)
                                .metadataEncryption(false).threads(1).clock(clock).build();
                        start.await();
                        return KeyManager.ensureKeys(g);
                    };
                    calls.add(pool.submit(call));
                }
                List<String> encKeys = new ArrayList<>();
                for (Future<KeySet> f : calls) {
                    encKeys.add(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(f.get(2, TimeUnit.MINUTES).encKeyBytes()))); // every caller gets a set
                }
                assertEquals(1, encKeys.stream().distinct().count(), "round " + round + ": one set for all: " + encKeys);
                assertEquals(1, clock.reads.get(), "round " + round + ": generated once");
                assertEquals(List.of("EncKey.json", "EvalKey.json", "SecKey.json"), TestSupport.list(tmp.resolve(keyId)));
            }
            assertEquals(10, TestSupport.list(tmp).size(), "no staging directory left: " + TestSupport.list(tmp));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCallerThatLosesTheRenameToAnotherProcessLoadsTheWinnersSet() throws Exception {
        // Another process's set appears between our look and our rename: its generator throws
        // TARGET_EXISTS, and the complete set there is loaded instead.
        Path winner = KeyGenerator.builder().keyPath(tmp.resolve("elsewhere")).keyId("won").dims(32).build().generateKeys();
        AtomicInteger generations = new AtomicInteger();
        KeyGenerator loser = KeyGenerator.builder().keyPath(tmp).keyId("won").dims(32)
                .progress((done, total) -> {
                    if (generations.getAndIncrement() == 0) {
                        copy(winner, tmp.resolve("won"));
                    }
                }).build();
        KeySet keys = KeyManager.ensureKeys(loser);
        assertTrue(generations.get() > 0, "generated, then lost the rename");
        assertEquals(tmp.resolve("won"), keys.directory());
        assertArrayEquals(KeySet.load(winner).encKeyBytes(), keys.encKeyBytes());

        // a target that holds no key file is still refused, never loaded
        Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(tmp.resolve("notes/README"), "mine");
        KeygenException e = assertThrows(KeygenException.class, () -> KeyManager.ensureKeys(tmp, "notes", List.of(32), null));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertEquals(List.of("README"), TestSupport.list(tmp.resolve("notes")));
    }

    @Test
    void concurrentProcessesAllGetTheOneSet() throws Exception {
        int children = 4;
        Path go = tmp.resolve("go");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), EnsureKeysChild.class.getName(),
                    tmp.resolve("keys").toString(), "shared", go.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child" + i + ".log").toFile()).start());
        }
        Thread.sleep(1500); // the JVMs start; then all race at once
        Files.createFile(go);
        List<String> encKeys = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            Process p = processes.get(i);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child " + i + " did not finish");
            String out = Files.readString(tmp.resolve("child" + i + ".log")).strip();
            assertEquals(0, p.exitValue(), out);
            encKeys.add(out);
        }
        assertEquals(1, encKeys.stream().distinct().count(), "one set for all: " + encKeys);
        assertEquals(List.of("shared"), TestSupport.list(tmp.resolve("keys")), "no staging directory left");
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            for (String name : TestSupport.list(from)) {
                Files.copy(from.resolve(name), to.resolve(name));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
