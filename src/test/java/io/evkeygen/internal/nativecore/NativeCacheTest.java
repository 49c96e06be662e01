package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library is extracted once per build of it and reused; a damaged cached copy is replaced. */
class NativeCacheTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty("evkeygen.native.cache");
    }

    @Test
    void extractsOnceReusesAndRepairs() throws Exception {
        Path cache = tmp.resolve("cache");
        System.setProperty("evkeygen.native.cache", cache.toString());
        byte[] lib = new byte[300_000];
        new java.util.Random(3).nextBytes(lib);
        Path resource = Files.write(tmp.resolve("libx.so"), lib);

        NativeCache.Extracted first = NativeCache.extract(resource.toUri().toURL(), "libx.so");
        assertFalse(first.deleteAfterLoad());
        assertTrue(first.file().toPath().startsWith(cache));
        assertArrayEquals(lib, Files.readAllBytes(first.file().toPath()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file().toPath().getParent())));
        long mtime = first.file().lastModified();

        NativeCache.Extracted second = NativeCache.extract(resource.toUri().toURL(), "libx.so");
        assertEquals(first.file(), second.file());
        assertEquals(mtime, second.file().lastModified(), "reused, not rewritten");
        assertEquals(List.of("libx.so"), names(first.file().toPath().getParent()), "no temporaries left");

        Files.write(first.file().toPath(), new byte[] {1, 2, 3});  // a damaged copy
        NativeCache.Extracted third = NativeCache.extract(resource.toUri().toURL(), "libx.so");
        assertArrayEquals(lib, Files.readAllBytes(third.file().toPath()));

        lib[7] ^= 1;                                                   // another build: another directory
        Files.write(resource, lib);
        assertFalse(NativeCache.extract(resource.toUri().toURL(), "libx.so").file().equals(first.file()));
    }

    @Test
    void anUnwritableCacheFallsBackToATemporaryCopyDeletedAfterLoad() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        System.setProperty("evkeygen.native.cache", file.resolve("sub").toString()); // cannot be created
        Path resource = Files.write(tmp.resolve("liby.so"), new byte[] {9, 8, 7});
        NativeCache.Extracted e = NativeCache.extract(resource.toUri().toURL(), "liby.so");
        assertTrue(e.deleteAfterLoad());
        assertTrue(Files.exists(e.file().toPath()));
        Files.delete(e.file().toPath());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void jnasDispatchLibraryIsCachedBesideOurs() throws Exception {
        Path cache = tmp.resolve("cache");
        System.setProperty("evkeygen.native.cache", cache.toString());
        String name = System.mapLibraryName("jnidispatch");
        var resource = getClass().getClassLoader().getResource("com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/" + name);
        org.junit.jupiter.api.Assumptions.assumeTrue(resource != null, "JNA has no dispatch library for this platform");
        Path dir = NativeCache.jnaDispatchDirectory();
        assertTrue(dir != null && dir.startsWith(cache), String.valueOf(dir));
        try (var in = resource.openStream()) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(dir.resolve(name)));
        }
        assertEquals(dir, NativeCache.jnaDispatchDirectory(), "the same directory on the next start");
    }

    @Test
    void noWritableCacheMeansJnaExtractsAsUsual() throws Exception {
        Path blocked = Files.writeString(tmp.resolve("not-a-directory"), "x");
        System.setProperty("evkeygen.native.cache", blocked.resolve("cache").toString());
        String before = List.of(tmp.toFile().list()).toString();
        assertEquals(null, NativeCache.jnaDispatchDirectory());
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("evkeygen-")
                    && p.getFileName().toString().endsWith(System.mapLibraryName("jnidispatch"))), "no temporary copy left");
        }
        assertEquals(before, List.of(tmp.toFile().list()).toString());
    }

    @Test
    void jnasBootPathIsSetOnlyWhenAllowedAndLeftAloneOnceJnaIsLoadedOrSet() throws Exception {
        Path cache = tmp.resolve("cache");
        System.setProperty("evkeygen.native.cache", cache.toString());
        String bootBefore = System.getProperty(NativeCache.JNA_BOOT_PATH);
        String loadedBefore = System.getProperty("jna.loaded"); // JNA only writes it: safe to stage here
        try {
            System.clearProperty(NativeCache.JNA_BOOT_PATH);
            System.setProperty("jna.loaded", "false");
            NativeCache.prepareJnaDispatch(false);
            assertEquals(null, System.getProperty(NativeCache.JNA_BOOT_PATH), "not without the application's word");

            io.evkeygen.Backends.useCachedJnaDispatchLibrary();
            NativeCache.prepareJnaDispatch();
            assertEquals(NativeCache.jnaDispatchDirectory().toString(), System.getProperty(NativeCache.JNA_BOOT_PATH));
            assertTrue(Path.of(System.getProperty(NativeCache.JNA_BOOT_PATH)).startsWith(cache));

            System.setProperty(NativeCache.JNA_BOOT_PATH, "/opt/jna");
            NativeCache.prepareJnaDispatch(true);
            assertEquals("/opt/jna", System.getProperty(NativeCache.JNA_BOOT_PATH));

            System.clearProperty(NativeCache.JNA_BOOT_PATH);
            System.setProperty("jna.loaded", "true"); // its dispatch library is in place already
            NativeCache.prepareJnaDispatch(true);
            assertEquals(null, System.getProperty(NativeCache.JNA_BOOT_PATH));
        } finally {
            restore(NativeCache.JNA_BOOT_PATH, bootBefore);
            restore("jna.loaded", loadedBefore);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
