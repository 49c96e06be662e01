package io.evkeygen.internal.keydir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
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
        if (posix) {
            // Owner-only from creation: nobody can list or open the secret files while they are written.
            return Files.createDirectory(staging,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createDirectory(staging);
    }

    /** Removes staging directories of {@code target} left by processes that no longer run. */
    static void removeStale(Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = prefix(target);
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && !ownerAlive(name.substring(prefix.length()))) {
                    FileTrees.deleteTree(p);
                }
            }
        }
    }

    private static boolean ownerAlive(String suffix) {
        int dash = suffix.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? suffix : suffix.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false; // not ours in form, but inside our prefix: a leftover all the same
        }
    }
}
