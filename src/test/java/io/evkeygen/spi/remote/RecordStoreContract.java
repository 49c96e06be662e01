package io.evkeygen.spi.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.RecordStore.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every store's {@link KeyStore#records} must do, run against each remote store's real client
 * and its server (S3Proxy, the fake Cloud Storage, the fake Vault): each operation, the
 * compare-and-set refusals, and races of {@link #THREADS} writers where exactly one may win.
 */
public abstract class RecordStoreContract {
    protected static final int THREADS = 8;

    /** The store under test, fresh (empty) for each test. */
    protected abstract KeyStore store();

    private RecordStore records() {
        return store().records("kms");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<Versioned> v) {
        return new String(v.orElseThrow().bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void readOfAMissingRecordIsEmpty() throws Exception {
        assertTrue(records().read("nobody").isEmpty());
    }

    @Test
    void createThenReadGivesTheBytesAndATag() throws Exception {
        assertTrue(records().create("k1", utf8("{\"state\":\"PENDING\"}")));
        Optional<Versioned> v = records().read("k1");
        assertEquals("{\"state\":\"PENDING\"}", text(v));
        assertFalse(v.orElseThrow().tag().isEmpty());
    }

    @Test
    void aSecondCreateIsRefusedAndChangesNothing() throws Exception {
        assertTrue(records().create("k1", utf8("first")));
        assertFalse(records().create("k1", utf8("second")));
        assertEquals("first", text(records().read("k1")));
    }

    @Test
    void replaceNeedsTheCurrentTag() throws Exception {
        records().create("k1", utf8("v1"));
        String tag1 = records().read("k1").orElseThrow().tag();
        assertTrue(records().replace("k1", utf8("v2"), tag1));
        Versioned v2 = records().read("k1").orElseThrow();
        assertEquals("v2", new String(v2.bytes(), StandardCharsets.UTF_8));
        assertNotEquals(tag1, v2.tag());
        assertFalse(records().replace("k1", utf8("stale"), tag1), "a stale tag must be refused");
        assertEquals("v2", text(records().read("k1")));
        assertTrue(records().replace("k1", utf8("v3"), v2.tag()));
        assertEquals("v3", text(records().read("k1")));
    }

    @Test
    void replaceOfAMissingRecordIsRefused() throws Exception {
        records().create("k1", utf8("v1"));
        String tag = records().read("k1").orElseThrow().tag();
        records().delete("k1");
        assertFalse(records().replace("k1", utf8("v2"), tag));
        assertTrue(records().read("k1").isEmpty());
        assertFalse(records().replace("k2", utf8("v2"), tag));
        assertTrue(records().read("k2").isEmpty());
    }

    @Test
    void aTagFromBeforeADeleteAndRecreateIsRefused() throws Exception {
        records().create("k1", utf8("old life"));
        String old = records().read("k1").orElseThrow().tag();
        records().delete("k1");
        assertTrue(records().create("k1", utf8("new life")));
        assertFalse(records().replace("k1", utf8("stale writer"), old));
        assertEquals("new life", text(records().read("k1")));
    }

    @Test
    void deleteRemovesAndAMissingOneIsFine() throws Exception {
        records().create("k1", utf8("v1"));
        records().delete("k1");
        assertTrue(records().read("k1").isEmpty());
        records().delete("k1");
        assertTrue(records().create("k1", utf8("again")), "a deleted id can be created again");
    }

    @Test
    void idsListTheRecordsAndTheKeySetListingNeverShowsThem() throws Exception {
        records().create("alpha", utf8("a"));
        records().create("beta", utf8("b"));
        store().records("other").create("gamma", utf8("c"));
        assertEquals(Set.of("alpha", "beta"), records().ids());
        assertEquals(Set.of("gamma"), store().records("other").ids());
        assertTrue(records().read("gamma").isEmpty(), "namespaces are apart");
        assertEquals(List.of(), store().list());
        assertTrue(store().parts("alpha").isEmpty());
    }

    @Test
    void badKeyIdsAndNamespacesAreRefused() {
        KeygenException e = assertThrows(KeygenException.class, () -> records().create("../x", utf8("x")));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertThrows(KeygenException.class, () -> records().read(".hidden"));
        assertThrows(IllegalArgumentException.class, () -> store().records("../up"));
    }

    @Test
    void racingCreatesHaveExactlyOneWinner() throws Exception {
        List<Boolean> won = race(i -> records().create("race", utf8("writer " + i)));
        assertEquals(1, won.stream().filter(b -> b).count(), "winners: " + won);
        assertEquals("writer " + won.indexOf(true), text(records().read("race")));
    }

    @Test
    void racingReplacesWithOneTagHaveExactlyOneWinner() throws Exception {
        records().create("race", utf8("start"));
        String tag = records().read("race").orElseThrow().tag();
        List<Boolean> won = race(i -> records().replace("race", utf8("writer " + i), tag));
        assertEquals(1, won.stream().filter(b -> b).count(), "winners: " + won);
        assertEquals("writer " + won.indexOf(true), text(records().read("race")));
    }

    private interface Attempt {
        boolean run(int writer) throws Exception;
    }

    /** {@link #THREADS} writers released together; each one's outcome, by writer. */
    private static List<Boolean> race(Attempt attempt) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int writer = i;
                Callable<Boolean> c = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return attempt.run(writer);
                };
                futures.add(pool.submit(c));
            }
            List<Boolean> won = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                won.add(f.get(120, TimeUnit.SECONDS));
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Compares bytes, for subclasses' own checks. */
    protected static void assertBytes(String expected, byte[] actual) {
        assertArrayEquals(utf8(expected), actual);
    }
}
