package io.evkeygen.secret;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The permissions key material is created with: owner-only from the first moment ({@code rw-------}
 * files, {@code rwx------} directories), so nobody else can open a secret while it is written. On a
 * file system without POSIX permissions, no attribute (the platform's defaults).
 */
public final class OwnerOnly {
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnly() {}

    /** Whether the default file system has POSIX permissions. */
    public static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Whether {@code path}'s file system has POSIX permissions. */
    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** {@code rw-------} where the default file system has POSIX permissions. */
    public static FileAttribute<?>[] file() {
        return file(posix());
    }

    /** {@code rw-------} when {@code restrict}, else none. */
    public static FileAttribute<?>[] file(boolean restrict) {
        return restrict ? of("rw-------") : NONE;
    }

    /** {@code rwx------} where the default file system has POSIX permissions. */
    public static FileAttribute<?>[] directory() {
        return directory(posix());
    }

    /** {@code rwx------} when {@code restrict}, else none. */
    public static FileAttribute<?>[] directory(boolean restrict) {
        return restrict ? of("rwx------") : NONE;
    }

    private static FileAttribute<?>[] of(String permissions) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
