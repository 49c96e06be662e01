package io.evkeygen.internal.keydir;

import io.evkeygen.spi.PidDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Hidden sibling directories a key set is written into before its atomic rename:
 * {@code .<target>.staging-<pid>-<random>} ({@link PidDirectories}), so only a crashed run's
 * leftovers are swept, never a concurrent run's work in progress.
 */
final class StagingDirectories {
    private static final String MARK = ".staging-";

    private StagingDirectories() {}

    static String prefix(Path target) {
        return "." + target.getFileName() + MARK;
    }

    /** Creates a fresh owner-only staging directory beside {@code target}. */
    static Path create(Path target) throws IOException {
        Path parent = target.getParent();
        return PidDirectories.create(parent == null ? target.getFileSystem().getPath("") : parent, prefix(target));
    }

    /** Bytes a staging name adds to the key id: '.', the mark, a pid of up to 7 digits, '-', 12 hex. */
    static final int NAME_OVERHEAD = 1 + MARK.length() + PidDirectories.SUFFIX_LENGTH;

    /**
     * Removes every staging directory in {@code parent} (of any key id) whose process no longer runs:
     * a crash's leftover may hold a complete SecKey.json, so every run in a key path sweeps them.
     */
    static void removeStale(Path parent) throws IOException {
        PidDirectories.removeStale(parent, "\\..+" + Pattern.quote(MARK), FileTrees::deleteTree);
    }
}
