package io.evkeygen.internal.nativecore;

import com.sun.jna.Platform;
import io.evkeygen.secret.OwnerOnly;
import io.evkeygen.spi.PidDirectories;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Extracts a bundled library once per build of it and reuses it: {@code
 * $XDG_CACHE_HOME/evkeygen/native/<sha256>/libevkeygen.so} (default {@code ~/.cache}), named by the
 * SHA-256 the build wrote beside the library ({@code libevkeygen.so.sha256} in the jar). A cached
 * file is used only when the directories and the file pass {@link CacheTrust} (ours, writable by
 * nobody else) and the file is the one this user's run extracted and hashed: a record beside it
 * ({@code libevkeygen.so.verified}: the SHA-256 and the file's device, inode, size, mtime, ctime,
 * owner and mode) must match. Hashing the library at every start would cost a cold JVM tens of
 * milliseconds; the record cannot be forged by another user (it lives in our owner-only directory)
 * and any write to the file changes its ctime. Otherwise the library is extracted again, to a
 * temporary name in that directory, hashed while written, compared and renamed; where the cache is
 * not trusted or cannot be written, to a private temporary file deleted as soon as it is loaded, and
 * the reason is kept. See docs/NATIVE.md.
 */
public final class NativeCache {
    private NativeCache() {}

    /** A file holding the resource's bytes, whether it must be deleted once loaded, and why it is not the cached copy. */
    record Extracted(File file, boolean deleteAfterLoad, String notCached) {}

    /** What a cached copy must hold: its directory's name and the SHA-256 the build recorded (null: none recorded). */
    private record Expected(String directory, String sha256) {}

    /** A cached copy, or why there is none. */
    private record Lookup(Path file, String reason) {}

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * The resource's bytes in a file: the cached copy, else a temporary one. {@code sha256} is the
     * resource holding the SHA-256 the build recorded, or null; a resource that does not match it is
     * refused (IOException).
     */
    static Extracted extract(URL url, URL sha256, String fileName) throws IOException {
        Expected expected = expected(url, sha256);
        Lookup found = cached(url, fileName, expected);
        if (found.file() != null) {
            return new Extracted(found.file().toFile(), false, null);
        }
        Path tmp = temporaryCopy(url, Path.of(System.getProperty("java.io.tmpdir")), fileName);
        return new Extracted(tmp.toFile(), true, found.reason());
    }

    /**
     * The resource's bytes in a fresh owner-only file in {@code tmpDir}: on POSIX a temporary file,
     * deleted once loaded; elsewhere in a private directory ({@link #privateCopyDirectory}).
     */
    static Path temporaryCopy(URL url, Path tmpDir, String fileName) throws IOException {
        Path tmp = OwnerOnly.posix(tmpDir)
                ? Files.createTempFile(tmpDir, "evkeygen-", "-" + fileName, OwnerOnly.file(tmpDir)) // a fresh name
                : privateCopyDirectory(tmpDir).resolve(fileName);
        try {
            copy(url, tmp, false, null); // ours alone until it is deleted: nothing to check it against
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static final String COPY_PREFIX = "evkeygen-native-";

    /**
     * Where a loaded library cannot be deleted (Windows keeps a loaded DLL's file): a fresh owner-only
     * directory {@code evkeygen-native-<pid>-<hex>} for this run's copy, after removing those of runs
     * whose process has ended ({@link PidDirectories}), so copies do not pile up.
     */
    private static Path privateCopyDirectory(Path tmpDir) throws IOException {
        try {
            PidDirectories.removeStale(tmpDir, COPY_PREFIX, NativeCache::removeCopy);
        } catch (IOException e) {
            // a leftover still in use or not ours: left for a later run
        }
        return PidDirectories.create(tmpDir, COPY_PREFIX);
    }

    private static void removeCopy(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.delete(dir);
    }

    /** The resource's copy in the cache, extracted there first if needed; else why not. */
    private static Lookup cached(URL url, String fileName, Expected expected) throws IOException {
        Path root = cacheRoot();
        Path dir = root.resolve(expected.directory());
        Path target = dir.resolve(fileName);
        Path record = dir.resolve(fileName + ".verified");
        try {
            CacheTrust trust = CacheTrust.forThisProcess();
            OwnerOnly.createDirectories(root);
            trust.checkRoot(root); // before anything is made in it
            OwnerOnly.createDirectories(dir);
            trust.checkDirectory(dir);
            if (verified(trust, target, record, expected.sha256())) {
                return new Lookup(target, null);
            }
            Path tmp = Files.createTempFile(dir, fileName, ".tmp");
            try {
                String sha256 = copy(url, tmp, true, expected.sha256());
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                writeRecord(record, sha256 + " " + CacheTrust.identity(trust.ownFile(target)));
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Lookup(target, null);
        } catch (CacheTrust.Untrusted e) {
            return new Lookup(null, e.getMessage());
        } catch (Mismatch e) {
            throw e;
        } catch (IOException | SecurityException | UnsupportedOperationException | IllegalArgumentException e) {
            return new Lookup(null, "cannot write " + dir + ": " + e); // read-only home, no such directory
        }
    }

    /**
     * Whether {@code target} is the file this user extracted: the record beside it names its SHA-256
     * (the expected one, if any) and its current identity, and was written after the file last changed.
     * File times are coarse (a clock tick): a file whose ctime is not before the record's mtime may have
     * changed in the same tick, so it is hashed once and the record written again. A file that is not
     * ours alone is not (it is in our directory: it is replaced).
     */
    private static boolean verified(CacheTrust trust, Path target, Path record, String sha256) throws IOException {
        Map<String, Object> file;
        Map<String, Object> rec;
        try {
            file = trust.ownFile(target);
            rec = trust.ownFile(record);
        } catch (CacheTrust.Untrusted e) {
            return false;
        }
        if (file == null || rec == null) {
            return false;
        }
        byte[] bytes;
        try (InputStream in = new FileInputStream(record.toFile())) { // warm in every JVM, unlike Files' channels
            bytes = in.readNBytes(512);
        }
        String[] line = new String(bytes, StandardCharsets.ISO_8859_1).trim().split(" ", 2);
        if (line.length != 2 || !SHA256_HEX.matcher(line[0]).matches() || (sha256 != null && !sha256.equals(line[0]))
                || !line[1].equals(CacheTrust.identity(file))) {
            return false;
        }
        if (((FileTime) file.get("ctime")).compareTo((FileTime) rec.get("lastModifiedTime")) < 0) {
            return true;
        }
        if (!line[0].equals(sha256Of(target))) {
            return false;
        }
        writeRecord(record, line[0] + " " + CacheTrust.identity(trust.ownFile(target)));
        return true;
    }

    private static void writeRecord(Path record, String line) throws IOException {
        Path tmp = Files.createTempFile(record.getParent(), record.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, line + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The bundled resource does not match the SHA-256 the build recorded for it. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    private static Expected expected(URL url, URL sha256) throws IOException {
        if (sha256 == null) {
            long[] crcAndSize = crcAndSize(url);
            return new Expected(Long.toHexString(crcAndSize[0]) + "-" + crcAndSize[1], null);
        }
        String hex;
        try (InputStream in = sha256.openStream()) {
            hex = new String(in.readNBytes(200), StandardCharsets.US_ASCII).trim();
        }
        hex = hex.split("\\s", 2)[0].toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new Mismatch(sha256 + " holds no SHA-256");
        }
        return new Expected(hex, hex);
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
     *
     * @return why JNA's dispatch library does not come from the cache when it was to, else null
     */
    static String prepareJnaDispatch() {
        return prepareJnaDispatch(jnaDispatchFromCache);
    }

    static String prepareJnaDispatch(boolean allowed) {
        if (!allowed || System.getProperty(JNA_BOOT_PATH) != null
                || "true".equals(System.getProperty("jna.loaded"))) {
            return null;
        }
        Lookup found = jnaDispatch();
        if (found.file() != null) {
            System.setProperty(JNA_BOOT_PATH, found.file().getParent().toString());
        }
        return found.reason();
    }

    /**
     * The cache directory holding JNA's own dispatch library for this platform, extracted from JNA's jar
     * like libevkeygen; null when JNA has no library for this platform or the cache cannot be used (JNA
     * then extracts its temporary copy as usual).
     */
    static Path jnaDispatchDirectory() {
        Path file = jnaDispatch().file();
        return file == null ? null : file.getParent();
    }

    /**
     * JNA's jar records no SHA-256 of its library: its directory is named by the CRC-32 and size in the
     * jar's directory (which tell JNA's builds apart), and the SHA-256 in the record is the one of the
     * jar's bytes, computed while they were written.
     */
    private static Lookup jnaDispatch() {
        String name = System.mapLibraryName("jnidispatch");
        ClassLoader cl = NativeCache.class.getClassLoader();
        URL url = cl == null ? null : cl.getResource("com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name);
        if (url == null) {
            return new Lookup(null, null);
        }
        try {
            return cached(url, name, expected(url, null));
        } catch (IOException | RuntimeException e) {
            return new Lookup(null, "cannot cache " + name + ": " + e.getMessage());
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
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = url.openStream()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; size += n) {
                crc.update(buf, 0, n);
            }
        }
        return new long[] {crc.getValue(), size};
    }

    /**
     * Copies the resource to {@code to}. With {@code hash}, returns the SHA-256 of what was written, in hex,
     * refusing (Mismatch) bytes that differ from {@code expected} when it is given; else returns null.
     */
    private static String copy(URL url, Path to, boolean hash, String expected) throws IOException {
        MessageDigest md = hash ? sha256() : null;
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(to)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (md != null) {
                    md.update(buf, 0, n);
                }
                out.write(buf, 0, n);
            }
        }
        if (md == null) {
            return null;
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (expected != null && !expected.equals(actual)) {
            throw new Mismatch(url + " has SHA-256 " + actual.substring(0, 12) + "..., the build recorded "
                    + expected.substring(0, 12) + "...");
        }
        return actual;
    }

    private static String sha256Of(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
