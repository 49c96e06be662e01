package io.evkeygen.internal.keydir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import io.evkeygen.spi.DirectoryFsync;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** Small file-system helpers the local store needs: fsync of a directory, recursive delete, positional writes. */
public final class FileTrees {
    private FileTrees() {}

    /** Writes all of {@code src}'s remaining bytes with its first one at file position {@code at}. */
    static void writeAt(FileChannel channel, ByteBuffer src, long at) throws IOException {
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    /** Makes a directory's entries (creations, renames) durable; a no-op where unsupported ({@link DirectoryFsync}). */
    public static void fsyncDirectory(Path dir) throws IOException {
        DirectoryFsync.fsync(dir);
    }

    /** Deletes a tree without following symbolic links; a missing tree is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** True when {@code dir} is a directory with at least one entry. */
    static boolean isNonEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }
}
