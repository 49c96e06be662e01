package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.EvalMode;
import java.nio.file.Files;
import java.nio.file.Path;
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
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC);
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
}
