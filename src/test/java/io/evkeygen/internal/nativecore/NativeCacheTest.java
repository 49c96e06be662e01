package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library is extracted once per build of it and reused; a cached copy that is not the one this
 * user extracted (damaged, or planted with the same size and CRC-32) is replaced before it is loaded,
 * and a cache others can write is not used at all.
 */
class NativeCacheTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty("evkeygen.native.cache");
    }

    /** A library and the SHA-256 the build writes beside it, as file URLs. */
    private record Bundled(URL library, URL sha256, byte[] bytes) {}

    private Bundled bundle(String name, int size, int seed) throws Exception {
        byte[] lib = new byte[size];
        new Random(seed).nextBytes(lib);
        Path file = Files.write(tmp.resolve(name), lib);
        Path sha = Files.writeString(tmp.resolve(name + ".sha256"),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lib)) + "\n");
        return new Bundled(file.toUri().toURL(), sha.toUri().toURL(), lib);
    }

    private Path useCache() {
        Path cache = tmp.resolve("cache");
        System.setProperty("evkeygen.native.cache", cache.toString());
        return cache;
    }

    @Test
    void extractsOnceReusesAndRepairs() throws Exception {
        Path cache = useCache();
        Bundled b = bundle("libx.so", 300_000, 3);

        NativeCache.Extracted first = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertFalse(first.deleteAfterLoad());
        assertEquals(null, first.notCached());
        Path dir = first.file().toPath().getParent();
        assertEquals(cache.resolve(Files.readString(Path.of(b.sha256().toURI())).trim()), dir, "named by the SHA-256");
        assertArrayEquals(b.bytes(), Files.readAllBytes(first.file().toPath()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file().toPath())));
        long mtime = first.file().lastModified();

        NativeCache.Extracted second = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertEquals(first.file(), second.file());
        assertEquals(mtime, second.file().lastModified(), "reused, not rewritten");
        assertEquals(List.of("libx.so", "libx.so.verified"), names(dir), "no temporaries left");

        Files.write(first.file().toPath(), new byte[] {1, 2, 3});  // a damaged copy
        NativeCache.Extracted third = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertArrayEquals(b.bytes(), Files.readAllBytes(third.file().toPath()));

        Bundled other = bundle("libx.so", 300_000, 4);                 // another build: another directory
        assertNotEquals(first.file(), NativeCache.extract(other.library(), other.sha256(), "libx.so").file());
    }

    @Test
    void aPlantedLibraryOfTheSameSizeAndCrcIsReplacedBeforeItIsLoaded() throws Exception {
        useCache();
        Bundled b = bundle("libx.so", 200_000, 5);
        Path cached = NativeCache.extract(b.library(), b.sha256(), "libx.so").file().toPath();
        byte[] forged = CrcForgery.sameSizeAndCrc(b.bytes());
        Files.write(cached, forged);

        NativeCache.Extracted again = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertEquals(cached, again.file().toPath());
        assertFalse(again.deleteAfterLoad());
        assertArrayEquals(b.bytes(), Files.readAllBytes(cached), "the bundled bytes again, not the planted ones");
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsNotUsedAndSaysWhy() throws Exception {
        Path cache = useCache();
        Bundled b = bundle("libx.so", 100_000, 6);
        Path cached = NativeCache.extract(b.library(), b.sha256(), "libx.so").file().toPath();
        Path dir = cached.getParent();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // another user could plant
        Files.write(cached, CrcForgery.sameSizeAndCrc(b.bytes()));

        NativeCache.Extracted e = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertTrue(e.deleteAfterLoad(), "a fresh private copy instead");
        assertFalse(e.file().toPath().startsWith(cache));
        assertArrayEquals(b.bytes(), Files.readAllBytes(e.file().toPath()));
        assertEquals(dir + " is writable by others (mode 777)", e.notCached());
        Files.delete(e.file().toPath());

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwx---")); // the cache root, too
        NativeCache.Extracted group = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertTrue(group.deleteAfterLoad());
        assertEquals(cache + " is writable by others (mode 770)", group.notCached());
        Files.delete(group.file().toPath());
    }

    @Test
    void aCachedFileOthersCanWriteIsReplaced() throws Exception {
        useCache();
        Bundled b = bundle("libx.so", 100_000, 7);
        Path cached = NativeCache.extract(b.library(), b.sha256(), "libx.so").file().toPath();
        Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rw-rw-rw-"));

        NativeCache.Extracted e = NativeCache.extract(b.library(), b.sha256(), "libx.so");
        assertEquals(cached, e.file().toPath());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cached)));
        assertArrayEquals(b.bytes(), Files.readAllBytes(cached));
    }

    @Test
    void aBundledLibraryThatDoesNotMatchItsRecordedHashIsRefused() throws Exception {
        useCache();
        Bundled b = bundle("libx.so", 1000, 8);
        Files.write(Path.of(b.library().toURI()), new byte[1000]); // the jar's library changed after the build hashed it
        IOException e = assertThrows(IOException.class, () -> NativeCache.extract(b.library(), b.sha256(), "libx.so"));
        assertTrue(e.getMessage().contains("the build recorded"), e.getMessage());
    }

    @Test
    void infoAndVerboseSayWhyTheCacheWasNotUsed() throws Exception {
        assumeTrue(NativeBackend.isAvailable(), () -> "skipping: " + NativeBackend.status().describe());
        Path cache = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        String reason = cache + " is writable by others (mode 777)";
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String command : new String[] {"info --json", "--key_path " + tmp.resolve("keys") + " --dim 32 --verbose"}) {
            List<String> line = new ArrayList<>(List.of(javaBin, "-Devkeygen.native.cache=" + cache,
                    "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main"));
            line.addAll(List.of(command.split(" ")));
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains(reason + "; JNA's dispatch library: " + reason), out);
        }
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "nothing made in it, nothing loaded from it");
        }
    }

    @Test
    void anUnwritableCacheFallsBackToATemporaryCopyDeletedAfterLoad() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        System.setProperty("evkeygen.native.cache", file.resolve("sub").toString()); // cannot be created
        Bundled b = bundle("liby.so", 3, 9);
        NativeCache.Extracted e = NativeCache.extract(b.library(), b.sha256(), "liby.so");
        assertTrue(e.deleteAfterLoad());
        assertTrue(Files.exists(e.file().toPath()));
        assertTrue(e.notCached().startsWith("cannot write "), e.notCached());
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
    void jnasDispatchLibraryIsNotTakenFromACacheOthersCanWrite() throws Exception {
        Path cache = useCache();
        assumeTrue(NativeCache.jnaDispatchDirectory() != null, "JNA has no dispatch library for this platform");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        String bootBefore = System.getProperty(NativeCache.JNA_BOOT_PATH);
        String loadedBefore = System.getProperty("jna.loaded");
        try {
            System.clearProperty(NativeCache.JNA_BOOT_PATH);
            System.setProperty("jna.loaded", "false");
            assertEquals(cache + " is writable by others (mode 777)", NativeCache.prepareJnaDispatch(true));
            assertEquals(null, System.getProperty(NativeCache.JNA_BOOT_PATH), "JNA extracts its own copy");
        } finally {
            restore(NativeCache.JNA_BOOT_PATH, bootBefore);
            restore("jna.loaded", loadedBefore);
        }
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
