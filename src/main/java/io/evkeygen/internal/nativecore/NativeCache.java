package io.evkeygen.internal.nativecore;

import io.evkeygen.secret.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * Extracts the bundled library once per build of it and reuses it: {@code
 * $XDG_CACHE_HOME/evkeygen/native/<crc32>-<size>/libevkeygen.so} (default {@code ~/.cache}), in
 * owner-only directories, written to a temporary name and renamed, and its CRC-32 checked on every
 * use (the JDK computes it natively, so a cold start pays microseconds). Where no cache directory
 * can be written, the library goes to a temporary file that is deleted as soon as it is loaded:
 * either way nothing piles up, unlike one JNA temp copy per run.
 */
public final class NativeCache {
    private NativeCache() {}

    /** A file holding the resource's bytes, and whether it must be deleted once loaded. */
    record Extracted(File file, boolean deleteAfterLoad) {}

    static Extracted extract(URL url, String fileName) throws IOException {
        Path cached = cached(url, fileName);
        if (cached != null) {
            return new Extracted(cached.toFile(), false);
        }
        Path tmp = Files.createTempFile("evkeygen-", "-" + fileName);
        copy(url, tmp);
        return new Extracted(tmp.toFile(), true);
    }

    /** The resource's copy in the cache, extracted there first if needed; null when no cache can be written. */
    private static Path cached(URL url, String fileName) throws IOException {
        long[] crcAndSize = crcAndSize(url);
        Path dir = cacheRoot().resolve(Long.toHexString(crcAndSize[0]) + "-" + crcAndSize[1]);
        Path target = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(target) && matches(target, crcAndSize)) {
                return target;
            }
            createPrivateDirectories(dir);
            Path tmp = Files.createTempFile(dir, fileName, ".tmp");
            try {
                copy(url, tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return matches(target, crcAndSize) ? target : null;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return null; // no writable cache (read-only home, another user's directory)
        }
    }

    /** The system property JNA reads its dispatch library's directory from. */
    static final String JNA_BOOT_PATH = "jna.boot.library.path";

    private static volatile boolean jnaDispatchFromCache;

    /** The application's permission for {@link #prepareJnaDispatch} to set {@value #JNA_BOOT_PATH} (see Backends). */
    public static void allowJnaDispatchFromCache() {
        jnaDispatchFromCache = true;
    }

    /**
     * Called just before JNA first loads: where the application allowed it, points {@value #JNA_BOOT_PATH}
     * at the cached dispatch library, unless the property is set or JNA is loaded already. Done here and
     * not at start-up, so that a run that never loads JNA (--version, help, the Java backend) pays nothing.
     */
    static void prepareJnaDispatch() {
        prepareJnaDispatch(jnaDispatchFromCache);
    }

    static void prepareJnaDispatch(boolean allowed) {
        if (!allowed || System.getProperty(JNA_BOOT_PATH) != null
                || "true".equals(System.getProperty("jna.loaded"))) {
            return;
        }
        Path dir = jnaDispatchDirectory();
        if (dir != null) {
            System.setProperty(JNA_BOOT_PATH, dir.toString());
        }
    }

    /**
     * The cache directory holding JNA's own dispatch library for this platform, extracted from JNA's jar
     * like libevkeygen; null when JNA has no library for this platform or no cache can be written (JNA
     * then extracts its temporary copy as usual).
     */
    static Path jnaDispatchDirectory() {
        String name = System.mapLibraryName("jnidispatch");
        ClassLoader cl = NativeCache.class.getClassLoader();
        URL url = cl == null ? null : cl.getResource("com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/" + name);
        if (url == null) {
            return null;
        }
        try {
            Path cached = cached(url, name);
            return cached == null ? null : cached.getParent();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Path cacheRoot() {
        String override = System.getProperty("evkeygen.native.cache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("evkeygen").resolve("native");
    }

    /** CRC-32 and size of the resource: from the jar's directory when it is in a jar, else by reading it. */
    private static long[] crcAndSize(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            var entry = jar.getJarEntry();
            if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
                return new long[] {entry.getCrc(), entry.getSize()};
            }
        }
        try (InputStream in = url.openStream()) {
            return crc(in);
        }
    }

    private static boolean matches(Path file, long[] crcAndSize) throws IOException {
        if (Files.size(file) != crcAndSize[1]) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return crc(in)[0] == crcAndSize[0];
        }
    }

    private static long[] crc(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            crc.update(buf, 0, n);
            size += n;
        }
        return new long[] {crc.getValue(), size};
    }

    private static void copy(URL url, Path to) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(to)) {
            in.transferTo(out);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, OwnerOnly.directory());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made by a concurrent run
        }
    }
}
