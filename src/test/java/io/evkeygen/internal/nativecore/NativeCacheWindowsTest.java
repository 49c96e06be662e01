package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.testutil.InMemoryFileSystems;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private copy of the library where the cache is not used and a loaded library cannot be deleted
 * (Windows): each run's copy in its own owner-only directory, ended runs' directories removed.
 */
class NativeCacheWindowsTest {
    @TempDir
    Path host;

    @Test
    void eachRunCopiesIntoItsOwnPrivateDirectoryAndEndedRunsAreRemoved() throws Exception {
        byte[] library = "MZ not really a dll".getBytes(StandardCharsets.US_ASCII);
        URL url = Files.write(host.resolve("evkeygen.dll"), library).toUri().toURL();
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path tmp = InMemoryFileSystems.workDirectory(fs);
            Path ended = Files.createDirectory(tmp.resolve("evkeygen-native-2147483646-0123456789ab")); // no such process
            Files.writeString(ended.resolve("evkeygen.dll"), "left by a run whose DLL stayed loaded");
            Path unrelated = Files.createDirectory(tmp.resolve("evkeygen-other-2147483646-0123456789ab"));

            Path first = NativeCache.temporaryCopy(url, tmp, "evkeygen.dll");
            Path second = NativeCache.temporaryCopy(url, tmp, "evkeygen.dll");
            assertArrayEquals(library, Files.readAllBytes(first));
            assertEquals("evkeygen.dll", first.getFileName().toString(), "loaded under its own name");
            assertNotEquals(first.getParent(), second.getParent(), "this process's copies do not share a directory");
            assertTrue(first.getParent().getFileName().toString().startsWith("evkeygen-native-" + ProcessHandle.current().pid() + "-"));
            assertTrue(InMemoryFileSystems.ownerOnly(first.getParent()));
            assertFalse(Files.exists(ended), "an ended run's copy is removed");
            assertTrue(Files.exists(unrelated));
            assertTrue(Files.exists(first), "a live run's copy is kept");
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(3, s.count(), List.of(first, second, unrelated).toString());
            }
        }
    }
}
