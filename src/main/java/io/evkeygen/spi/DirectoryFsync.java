package io.evkeygen.spi;

import io.evkeygen.secret.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync of a directory, which makes its entries (creations, renames, deletions) durable, where the
 * file system has it: the platform's own file system with POSIX semantics (Linux, macOS). Windows
 * cannot open a directory as a channel (NTFS makes a rename durable on its own), and a file system of
 * another provider (in memory, a zip) has nothing to force: both are skipped, decided by the path's
 * file system and not by a failure, so a real error on POSIX is never swallowed.
 */
public final class DirectoryFsync {
    private DirectoryFsync() {}

    /** Whether {@link #fsync} forces anything for {@code dir}. */
    public static boolean supported(Path dir) {
        return "file".equals(dir.getFileSystem().provider().getScheme()) && OwnerOnly.posix(dir);
    }

    /** Forces {@code dir}'s entries to storage where {@link #supported}; a no-op elsewhere. */
    public static void fsync(Path dir) throws IOException {
        if (!supported(dir)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
