package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.EvalMode;
import io.evkeygen.secret.Kek;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyGeneratorTest {
    @TempDir
    Path tmp;

    private KeyGenerator.Builder builder() {
        return KeyGenerator.builder().keyPath(tmp.resolve("keys")).keyId("demo").dims(32).backend("java")
                .seed(new byte[64]);
    }

    private static void assertUsage(Runnable r) {
        assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class, r::run).kind());
    }

    @Test
    void builderValidatesEverything() {
        assertUsage(() -> builder().dims(48).build());
        assertUsage(() -> builder().keyId("../x").build());
        assertUsage(() -> builder().preset("ip9").build());
        assertUsage(() -> builder().evalMode("fast"));
        assertUsage(() -> builder().seed(new byte[63]));
        assertUsage(() -> builder().threads(0).build());
        assertUsage(() -> KeyGenerator.builder().backend("cuda").build());
    }

    @Test
    void defaultsMatchThePythonSdk() {
        KeyGenerator g = KeyGenerator.builder().backend("java").build();
        assertEquals(Path.of("keys"), g.keyPath());
        assertNull(g.keyId());
        assertEquals(List.of(32, 64, 128, 256, 512, 1024, 2048, 4096), g.dims());
        assertEquals(EvalMode.RMP, g.evalMode());
        assertEquals("IP0", g.parameters().preset());
        assertEquals(true, g.metadataEncryption());
        assertEquals("java", g.backend());
    }

    @Test
    void builderCopiesTheSeedSoSeededOutputRepeats() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        byte[] seed = new byte[64];
        KeyGenerator g = builder().seed(seed).clock(clock).build();
        Arrays.fill(seed, (byte) 9); // the caller may wipe its copy
        try (KeySetBlobs a = g.generateKeysStream(); KeySetBlobs b = g.generateKeysStream()) {
            for (KeyFileKind kind : KeyFileKind.values()) {
                assertArrayEquals(a.get(kind), b.get(kind), kind.fileName());
            }
        }
    }

    /** Into memory the EvalKey's text is kept until its hash is known: progress still counts its raw bytes to the end. */
    @Test
    void progressReachesTheEndWhenTheEvalKeyIsKept() throws Exception {
        long[] last = new long[2];
        try (KeySetBlobs blobs = builder().progress((done, total) -> {
            last[0] = done;
            last[1] = total;
        }).build().generateKeysStream()) {
            assertEquals(4, blobs.files().size());
        }
        assertTrue(last[1] > 0);
        assertEquals(last[1], last[0]);
    }

    @Test
    void generateKeysStreamWritesNothingToDisk() throws Exception {
        // /tmp is shared with other processes (compilers, other test runs): only entries that did
        // not exist before and look like ours (evkeygen temp files, EvalKey spills) count.
        List<String> tmpBefore = TestSupport.list(Path.of(System.getProperty("java.io.tmpdir")));
        try (KeySetBlobs blobs = builder().build().generateKeysStream()) {
            assertEquals(4, blobs.files().size());
            for (byte[] envelope : blobs.files().values()) {
                assertEquals('{', envelope[0]);
            }
            assertFalse(blobs.toString().contains("key_data"));
        }
        assertFalse(Files.exists(tmp.resolve("keys")), "no key directory");
        assertEquals(List.of(), TestSupport.list(tmp));
        List<String> added = TestSupport.list(Path.of(System.getProperty("java.io.tmpdir"))).stream()
                .filter(n -> !tmpBefore.contains(n))
                .filter(n -> n.startsWith("evkeygen") || n.startsWith(".EvalKey") || n.startsWith(".demo"))
                .toList();
        assertEquals(List.of(), added, "temporary files written by generateKeysStream");
    }

    @Test
    void generateKeysWritesTheDirectory() throws Exception {
        Path dir = builder().evalMode(EvalMode.FLAT).metadataEncryption(false).build().generateKeys();
        assertEquals(tmp.resolve("keys/demo"), dir);
        assertEquals(List.of("EncKey.json", "EvalKey.json", "SecKey.json"), TestSupport.list(dir));
    }

    @Test
    void buildMovesTheBuildersSeedToTheGeneratorWhichZeroesItOnClose() throws Exception {
        KeyGenerator.Builder b = builder().seed(filled(7));
        Seed held = b.heldSeed();
        byte[] raw = held.secret().reveal();
        KeyGenerator g = b.build();
        assertNull(b.heldSeed(), "the builder keeps no copy of the seed");
        assertSame(held, g.heldSeed(), "the generator holds the builder's copy, not one more");
        try (KeySetBlobs blobs = g.generateKeysStream()) {
            assertNotNull(blobs.get(KeyFileKind.SECKEY));
        }
        assertArrayEquals(filled(7), raw, "a generation zeroes only its own copy");
        g.close();
        assertArrayEquals(new byte[64], raw, "closing the generator zeroes its seed");
        assertThrows(IllegalStateException.class, g::generateKeysStream);
    }

    @Test
    void aFailedBuildZeroesTheSeedAndTheKek() {
        KeyGenerator.Builder b = builder().seed(filled(7)).seal(new byte[32]).threads(0);
        byte[] raw = b.heldSeed().secret().reveal();
        assertUsage(b::build);
        assertArrayEquals(new byte[64], raw);
    }

    @Test
    void aBuilderWhoseSeedWentToAGeneratorDoesNotSilentlyBuildAnUnseededOne() {
        KeyGenerator.Builder b = builder().seed(filled(7));
        try (KeyGenerator first = b.build()) {
            assertThrows(IllegalStateException.class, b::build);
            try (KeyGenerator again = b.seed(filled(8)).build()) {
                assertNotNull(again.heldSeed());
            }
        }
        // Without a seed or KEK bytes there is nothing to move: build as often as you like.
        KeyGenerator.Builder plain = KeyGenerator.builder().keyId("demo").backend("java");
        plain.build().close();
        plain.build().close();
    }

    @Test
    void closingTheGeneratorClosesTheKekItCopiedButNotAProviderItWasGiven() {
        KeyGenerator owned = KeyGenerator.builder().backend("java").seal(new byte[32]).build();
        owned.close();
        assertThrows(IllegalStateException.class, () -> owned.sealer().grant("demo", KeyFileKind.SECKEY));
        try (KeyGenerator given = KeyGenerator.builder().backend("java").seal(new byte[32]).build()) {
            KeyGenerator borrowing = KeyGenerator.builder().backend("java").seal(given.sealer()).build();
            borrowing.close();
            try (Kek kek = given.sealer().grant("demo", KeyFileKind.SECKEY).kek()) {
                assertEquals(Kek.LENGTH, kek.secret().length());
            }
        }
    }

    @Test
    void oneGeneratorServesSeveralStoresWithTheSameRequest() throws Exception {
        try (KeyGenerator g = builder().clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).build()) {
            KeyStore a = KeyStores.local(tmp.resolve("a"));
            KeyStore b = KeyStores.local(tmp.resolve("b"));
            g.generateKeys(a);
            g.generateKeys(b);
            for (KeyFileKind kind : List.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY)) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("a/demo").resolve(kind.fileName())),
                        Files.readAllBytes(tmp.resolve("b/demo").resolve(kind.fileName())), kind.fileName());
            }
        }
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[64];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
