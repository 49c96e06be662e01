package io.evkeygen.internal.keydir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.TestSupport;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeySetWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atomic save runs with any bytes: no codec needed. */
class LocalKeyStoreTest {
    @TempDir
    Path root;

    private static KeySetWriter writeAll(KeyFileKind... kinds) {
        return sink -> {
            for (KeyFileKind k : kinds) {
                try (OutputStream out = sink.open(k)) {
                    out.write(k.format().getBytes(StandardCharsets.US_ASCII));
                }
            }
        };
    }

    private static final KeyFileKind[] ALL = KeyFileKind.values();

    @Test
    void savesAllFilesWithOwnerOnlySecretsAndNoLeftovers() throws IOException {
        LocalKeyStore store = new LocalKeyStore(root);
        String where = store.save("demo", writeAll(ALL));
        Path dir = root.resolve("demo");
        assertEquals(dir.toString(), where);
        assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"), TestSupport.list(dir));
        assertEquals(List.of("demo"), TestSupport.list(root), "no staging directory left beside the target");
        for (KeyFileKind k : ALL) {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(k.fileName())));
            if (k.secret()) {
                assertEquals("rw-------", perms, k.fileName());
            }
        }
        assertEquals(EnumSet.allOf(KeyFileKind.class), store.parts("demo"));
        assertTrue(store.exists("demo"));
        assertEquals(List.of("demo"), store.list());
        try (InputStream in = store.open("demo", KeyFileKind.ENCKEY)) {
            assertArrayEquals("enckey".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        }
        store.delete("demo");
        assertFalse(Files.exists(dir));
        assertEquals(List.of(), store.list());
    }

    @Test
    void nullKeyIdWritesIntoTheRootItself() throws IOException {
        Path keys = root.resolve("keys");
        new LocalKeyStore(keys).save(null, writeAll(KeyFileKind.SECKEY));
        assertEquals(List.of("SecKey.json"), TestSupport.list(keys));
        assertEquals(List.of("keys"), TestSupport.list(root));
    }

    @Test
    void refusesNonEmptyTargetAndLeavesItUntouched() throws IOException {
        Path dir = Files.createDirectories(root.resolve("demo"));
        Files.writeString(dir.resolve("SecKey.json"), "original");
        AtomicBoolean called = new AtomicBoolean();
        KeygenException e = assertThrows(KeygenException.class,
                () -> new LocalKeyStore(root).save("demo", sink -> called.set(true)));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertFalse(called.get(), "nothing generated for a refused target");
        assertEquals("original", Files.readString(dir.resolve("SecKey.json")));
        assertEquals(List.of("SecKey.json"), TestSupport.list(dir));
        assertEquals(List.of("demo"), TestSupport.list(root));
    }

    @Test
    void refusesTargetThatIsAFile() throws IOException {
        Files.writeString(root.resolve("demo"), "x");
        KeygenException e = assertThrows(KeygenException.class,
                () -> new LocalKeyStore(root).save("demo", writeAll(ALL)));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
    }

    @Test
    void anExistingEmptyTargetIsReplaced() throws IOException {
        Files.createDirectories(root.resolve("demo"));
        new LocalKeyStore(root).save("demo", writeAll(ALL));
        assertEquals(4, TestSupport.list(root.resolve("demo")).size());
    }

    @Test
    void failureMidWriteLeavesNeitherTargetNorStaging() {
        KeySetWriter failing = sink -> {
            try (OutputStream out = sink.open(KeyFileKind.SECKEY)) {
                out.write(1);
            }
            try (OutputStream out = sink.open(KeyFileKind.EVALKEY)) {
                out.write(new byte[1000]);
                throw new IOException("disk full (simulated)");
            }
        };
        assertThrows(IOException.class, () -> new LocalKeyStore(root).save("demo", failing));
        assertFalse(Files.exists(root.resolve("demo")));
        assertEquals(List.of(), assertDoesNotThrowList(root));
    }

    @Test
    void staleStagingOfADeadProcessIsRemovedLiveOneKept() throws IOException {
        Path stale = Files.createDirectories(root.resolve(".demo.staging-2147483647-abcdef"));
        Files.writeString(stale.resolve("SecKey.json"), "half");
        Path live = Files.createDirectories(root.resolve(".demo.staging-" + ProcessHandle.current().pid() + "-000000"));
        Path other = Files.createDirectories(root.resolve(".other.staging-2147483647-abcdef"));
        new LocalKeyStore(root).save("demo", writeAll(ALL));
        assertFalse(Files.exists(stale), "crashed run's staging dir cleaned");
        assertTrue(Files.exists(live), "a running process's staging dir is not ours to remove");
        assertTrue(Files.exists(other), "another target's staging dir is left alone");
    }

    @Test
    void scratchDirectoryIsInsideStagingAndGoesWithIt() throws IOException {
        Path[] scratch = new Path[1];
        new LocalKeyStore(root).save("demo", sink -> {
            scratch[0] = sink.scratchDirectory();
            assertTrue(scratch[0].getFileName().toString().startsWith(".demo.staging-"));
            writeAll(ALL).writeTo(sink);
        });
        assertFalse(Files.exists(scratch[0]), "staging renamed away");
    }

    private static List<String> assertDoesNotThrowList(Path dir) {
        try {
            return TestSupport.list(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
