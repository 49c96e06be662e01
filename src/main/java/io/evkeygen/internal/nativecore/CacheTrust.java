package io.evkeygen.internal.nativecore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether files in the native cache can only have been written by this process's user: the cache
 * directories are ours and writable by nobody else, every directory above them is ours or root's and
 * writable by nobody else unless sticky (so no other user can rename our directories away and put
 * theirs in place), and each file is ours and writable by nobody else. Read through the JDK's
 * {@code unix} attribute view (owner uid, mode with the sticky bit); where it is missing (Windows) nothing
 * can be checked, and the cache is not used.
 */
final class CacheTrust {
    private static final String ATTRIBUTES = "unix:uid,mode,dev,ino,size,lastModifiedTime,ctime";
    private static final int WRITABLE_BY_OTHERS = 0022;
    private static final int STICKY = 01000;

    private static CacheTrust current;

    private final int uid;

    private CacheTrust(int uid) {
        this.uid = uid;
    }

    /** Why a cache directory or file is not used; its message is the one-line reason. */
    static final class Untrusted extends IOException {
        Untrusted(String reason) {
            super(reason);
        }
    }

    /**
     * The checks for this process (one per process): its effective uid is the owner of {@code /proc/self}
     * (Linux) or, where there is none (macOS), of a file it creates in the temporary directory.
     */
    static synchronized CacheTrust forThisProcess() throws Untrusted {
        if (current == null) {
            try {
                current = new CacheTrust(effectiveUid(Path.of("/proc/self"), Path.of(System.getProperty("java.io.tmpdir"))));
            } catch (IOException | RuntimeException e) {
                throw new Untrusted("cannot check owners and modes here (no unix file attributes)");
            }
        }
        return current;
    }

    /** The owner of {@code procSelf}, else of a fresh file in {@code tmpDir} (deleted again). */
    static int effectiveUid(Path procSelf, Path tmpDir) throws IOException {
        try {
            return (Integer) Files.getAttribute(procSelf, "unix:uid");
        } catch (NoSuchFileException e) {
            Path probe = Files.createTempFile(tmpDir, "evkeygen-uid-", ".tmp");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.delete(probe);
            }
        }
    }

    /**
     * Refuses the cache root unless it is ours and not writable by others, and every directory above it
     * (on its real path) is ours or root's and not writable by others unless sticky.
     */
    void checkRoot(Path root) throws IOException {
        Path realRoot = root.toRealPath();
        for (Path p = realRoot; p != null; p = p.getParent()) {
            check(p, Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS), p.equals(realRoot));
        }
    }

    /** Refuses {@code dir} (in a checked root) unless it is a directory, not a link, ours and not writable by others. */
    void checkDirectory(Path dir) throws IOException {
        Map<String, Object> a = Files.readAttributes(dir, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (((Integer) a.get("mode") & 0170000) != 0040000) {
            throw new Untrusted(dir + " is not a directory");
        }
        check(dir, a, true);
    }

    private void check(Path p, Map<String, Object> a, boolean ours) throws Untrusted {
        int owner = (Integer) a.get("uid");
        int mode = (Integer) a.get("mode");
        if (owner != uid && (ours || owner != 0)) {
            throw new Untrusted(p + " belongs to uid " + owner + ", not to this user (uid " + uid + ")");
        }
        if ((mode & WRITABLE_BY_OTHERS) != 0 && (ours || (mode & STICKY) == 0)) {
            throw new Untrusted(p + " is writable by others (mode " + Integer.toOctalString(mode & 07777) + ")");
        }
    }

    /**
     * The attributes of {@code file} (not following a link) when it is a regular file of ours that
     * nobody else can write; null when it does not exist.
     */
    Map<String, Object> ownFile(Path file) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (((Integer) a.get("mode") & 0170000) != 0100000) {
            throw new Untrusted(file + " is not a regular file");
        }
        check(file, a, true);
        return a;
    }

    /** What changes whenever a file's content can have: device, inode, size, mtime, ctime, owner, mode. */
    static String identity(Map<String, Object> a) {
        return a.get("dev") + ":" + a.get("ino") + ":" + a.get("size") + ":" + nanos(a.get("lastModifiedTime")) + ":"
                + nanos(a.get("ctime")) + ":" + a.get("uid") + ":" + a.get("mode");
    }

    private static long nanos(Object fileTime) {
        return ((FileTime) fileTime).to(TimeUnit.NANOSECONDS); // not toString: a cold JVM formats dates slowly
    }
}
