package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evkeygen.internal.nativecore.NativeBackend;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole key files, not just their {@code .bin} data, are the same bytes whatever the thread count
 * (the EvalKey pipeline: generation, SHA-256 and base64 on threads of their own), the backend, the
 * SIMD level, and whether they go to a directory (one pass, hash patched in) or to memory (kept, then encoded).
 */
class KeySetPipelineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private int runs;

    @AfterEach
    void resetSimdCap() {
        if (NativeBackend.isAvailable()) {
            NativeBackend.setSimdCap(null);
        }
    }

    private static byte[] seed() {
        byte[] s = new byte[64];
        for (int i = 0; i < 64; i++) {
            s[i] = (byte) (3 * i + 1);
        }
        return s;
    }

    private KeyGenerator.Builder builder(EvalMode mode, List<Integer> dims, String backend, int threads) {
        return KeyGenerator.builder().keyPath(tmp.resolve("run" + runs++)).keyId("pipe").evalMode(mode).dims(dims)
                .backend(backend).threads(threads).seed(seed()).clock(CLOCK);
    }

    private Map<KeyFileKind, byte[]> toDirectory(EvalMode mode, List<Integer> dims, String backend, int threads)
            throws Exception {
        Path dir = builder(mode, dims, backend, threads).build().generateKeys();
        Map<KeyFileKind, byte[]> files = new EnumMap<>(KeyFileKind.class);
        for (KeyFileKind kind : KeyFileKind.values()) {
            files.put(kind, Files.readAllBytes(dir.resolve(kind.fileName())));
        }
        return files;
    }

    private Map<KeyFileKind, byte[]> toMemory(EvalMode mode, List<Integer> dims, String backend, int threads)
            throws Exception {
        try (KeySetBlobs blobs = builder(mode, dims, backend, threads).build().generateKeysStream()) {
            Map<KeyFileKind, byte[]> files = new EnumMap<>(KeyFileKind.class);
            blobs.files().forEach((kind, bytes) -> files.put(kind, bytes.clone())); // close zeroes the secrets
            return files;
        }
    }

    private static void assertSameFiles(Map<KeyFileKind, byte[]> expected, Map<KeyFileKind, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((kind, bytes) -> assertArrayEquals(bytes, actual.get(kind), what + ": " + kind.fileName()));
    }

    private static List<String> backends() {
        List<String> b = new ArrayList<>(List.of("java"));
        if (NativeBackend.isAvailable()) {
            b.add("native");
        }
        return b;
    }

    @Test
    void filesDoNotDependOnThreadsBackendOrSink() throws Exception {
        record Case(EvalMode mode, List<Integer> dims) {}
        for (Case c : List.of(new Case(EvalMode.RMP, Dimensions.DEFAULT), new Case(EvalMode.FLAT, List.of(32, 64)),
                new Case(EvalMode.MM, List.of(1024)))) {
            Map<KeyFileKind, byte[]> reference = toDirectory(c.mode(), c.dims(), "java", 1);
            for (String backend : backends()) {
                for (int threads : new int[] {1, 2, 3}) {
                    String what = c + ", " + backend + ", " + threads + " threads";
                    assertSameFiles(reference, toDirectory(c.mode(), c.dims(), backend, threads), what + ", directory");
                }
                assertSameFiles(reference, toMemory(c.mode(), c.dims(), backend, 2), c + ", " + backend + ", memory");
            }
        }
    }

    @Test
    void nativeFilesAreTheSameAtEverySimdLevelWithTwoThreads() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeBackend.isAvailable(), "native library not available here");
        Map<KeyFileKind, byte[]> reference = toDirectory(EvalMode.RMP, List.of(32, 1024), "java", 1);
        for (String level : NativeBackend.availableSimdLevels()) {
            assertEquals(level, NativeBackend.setSimdCap(level));
            assertSameFiles(reference, toDirectory(EvalMode.RMP, List.of(32, 1024), "native", 2), level);
        }
    }

    /**
     * A service making sets for many tenants at once: one shared generator streaming from several
     * threads, and separate generators (both backends, one and two threads each) writing directories
     * side by side, all give exactly the bytes of a set made alone.
     */
    @Test
    void concurrentGenerationsGiveTheSameSetsAsOneAtATime() throws Exception {
        List<Integer> dims = List.of(32, 1024);
        Map<KeyFileKind, byte[]> alone = toMemory(EvalMode.RMP, dims, "java", 1);
        KeyGenerator shared = builder(EvalMode.RMP, dims, backends().get(backends().size() - 1), 2).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Map<KeyFileKind, byte[]>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String backend = backends().get(i % backends().size());
                int threads = 1 + i % 2;
                Path dir = tmp.resolve("tenant" + i);
                boolean stream = i % 4 == 0;
                results.add(pool.submit(() -> {
                    if (stream) {
                        try (KeySetBlobs blobs = shared.generateKeysStream()) {
                            Map<KeyFileKind, byte[]> files = new EnumMap<>(KeyFileKind.class);
                            blobs.files().forEach((kind, bytes) -> files.put(kind, bytes.clone()));
                            return files;
                        }
                    }
                    Path out = KeyGenerator.builder().keyPath(dir).keyId("pipe").evalMode(EvalMode.RMP).dims(dims)
                            .backend(backend).threads(threads).seed(seed()).clock(CLOCK).build().generateKeys();
                    Map<KeyFileKind, byte[]> files = new EnumMap<>(KeyFileKind.class);
                    for (KeyFileKind kind : KeyFileKind.values()) {
                        files.put(kind, Files.readAllBytes(out.resolve(kind.fileName())));
                    }
                    return files;
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertSameFiles(alone, results.get(i).get(120, java.util.concurrent.TimeUnit.SECONDS), "tenant " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
