package io.evkeygen.internal.keydir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.OwnerOnly;
import io.evkeygen.spi.RecordStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store's records: exclusive create, replace only on an unchanged tag, never listed as key sets. */
class LocalRecordStoreTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createIsExclusiveAndReplaceComparesTheTag() throws Exception {
        LocalKeyStore store = new LocalKeyStore(tmp);
        RecordStore r = store.records("kms");
        assertTrue(r.read("k").isEmpty());
        assertTrue(r.create("k", b("one")));
        assertFalse(r.create("k", b("two")), "exists: nothing written");
        RecordStore.Versioned v1 = r.read("k").orElseThrow();
        assertArrayEquals(b("one"), v1.bytes());
        assertTrue(r.replace("k", b("three"), v1.tag()));
        RecordStore.Versioned v3 = r.read("k").orElseThrow();
        assertNotEquals(v1.tag(), v3.tag());
        assertFalse(r.replace("k", b("four"), v1.tag()), "a stale tag loses");
        assertArrayEquals(b("three"), r.read("k").orElseThrow().bytes());
        assertFalse(r.replace("absent", b("x"), v3.tag()));
        assertEquals(Set.of("k"), r.ids());
        r.delete("k");
        r.delete("k"); // a missing one is fine
        assertTrue(r.read("k").isEmpty());
        assertEquals(Set.of(), r.ids());
        assertThrows(KeygenException.class, () -> r.create("../escape", b("x")));
    }

    @Test
    void recordsAreHiddenPrivateAndApartPerNamespace() throws Exception {
        LocalKeyStore store = new LocalKeyStore(tmp);
        store.records("kms").create("k", b("x"));
        assertTrue(store.records("other").read("k").isEmpty());
        assertEquals(List.of(), store.list(), "no key set listed");
        Path file = tmp.resolve(".records/kms/k");
        assertTrue(Files.isRegularFile(file));
        if (OwnerOnly.posix(tmp)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var entries = Files.list(tmp.resolve(".records/kms"))) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no temporary file left");
        }
    }

    @Test
    void oneOfManyConcurrentCreatesWinsAndConcurrentReplacesNeverLoseAnUpdate() throws Exception {
        RecordStore r = new LocalKeyStore(tmp).records("kms");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> creates = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                creates.add(pool.submit(() -> {
                    go.await();
                    return r.create("race", b("writer " + n));
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : creates) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
            // counters incremented by compare-and-set from 8 threads: every increment lands
            r.create("counter", b("0"));
            List<Future<?>> incs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                incs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        while (true) {
                            RecordStore.Versioned v = r.read("counter").orElseThrow();
                            int n = Integer.parseInt(new String(v.bytes(), StandardCharsets.UTF_8));
                            if (r.replace("counter", b(Integer.toString(n + 1)), v.tag())) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : incs) {
                f.get();
            }
            assertEquals("200", new String(r.read("counter").orElseThrow().bytes(), StandardCharsets.UTF_8));
        } finally {
            pool.shutdownNow();
        }
    }
}
