package io.evkeygen.internal.keydir;

import io.evkeygen.secret.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hidden sibling directories a key set is written into before its atomic rename:
 * {@code .<target>.staging-<pid>-<random>}. The pid tells a crashed run's leftover (its process is
 * gone) from a concurrent run's work in progress (its process is alive), so only stale ones go.
 */
final class StagingDirectories {
    private static final String MARK = ".staging-";

    private StagingDirectories() {}

    static String prefix(Path target) {
        return "." + target.getFileName() + MARK;
    }

    /** Creates a fresh owner-only staging directory beside {@code target}. */
    static Path create(Path target, boolean posix) throws IOException {
        byte[] rnd = new byte[6];
        new SecureRandom().nextBytes(rnd);
        Path staging = target.resolveSibling(prefix(target) + ProcessHandle.current().pid() + "-"
                + HexFormat.of().formatHex(rnd));
        // Owner-only from creation: nobody can list or open the secret files while they are written.
        return Files.createDirectory(staging, OwnerOnly.directory(posix));
    }

    /** {@code .<key id>.staging-<pid>-<12 hex>}, as {@link #create} names them. */
    private static final Pattern NAME = Pattern.compile("\\..+" + Pattern.quote(MARK) + "(\\d{1,10})-[0-9a-f]{12}");

    /** Bytes a staging name adds to the key id: '.', the mark, a pid of up to 7 digits, '-', 12 hex. */
    static final int NAME_OVERHEAD = 1 + MARK.length() + 7 + 1 + 12;

    /**
     * Removes every staging directory in {@code parent} (of any key id) whose process no longer runs:
     * a crash's leftover may hold a complete SecKey.json, so every run in a key path sweeps them.
     */
    static void removeStale(Path parent) throws IOException {
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                    FileTrees.deleteTree(p);
                }
            }
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
