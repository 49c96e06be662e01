package io.evkeygen.secret;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The permissions key material is created with: owner-only from the first moment, so nobody else can
 * open a secret while it is written. On a file system with POSIX permissions {@code rw-------} files
 * and {@code rwx------} directories; on one with ACLs instead (Windows) an ACL of one entry that
 * allows everything to this process's user and nobody else (a directory's entry is inherited by what
 * is created in it), SYSTEM and Administrators included: as root on POSIX, they need no entry to read
 * a file (they can take ownership, which is audited), and an entry would let every process of theirs
 * read it unasked. On a file system with neither, no attribute (the platform's defaults).
 * The {@code Path} methods ask the file system of the path given (the file or its directory), so the
 * rule follows the file, not the platform's default file system.
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

    /** Whether {@code path}'s file system has ACLs and not POSIX permissions (Windows): owner-only is an ACL there. */
    public static boolean acl(Path path) {
        Set<String> views = path.getFileSystem().supportedFileAttributeViews();
        return !views.contains("posix") && views.contains("acl");
    }

    /** {@code rw-------} where the default file system has POSIX permissions. */
    public static FileAttribute<?>[] file() {
        return file(posix());
    }

    /** {@code rw-------} when {@code restrict}, else none. */
    public static FileAttribute<?>[] file(boolean restrict) {
        return restrict ? of("rw-------") : NONE;
    }

    /**
     * Owner-only for a file created on {@code where}'s file system ({@code where}: the file or its
     * directory): POSIX {@code rw-------}, else an ACL for this user alone, else none.
     *
     * @throws IOException when the file system has ACLs but this user's account cannot be found in it
     */
    public static FileAttribute<?>[] file(Path where) throws IOException {
        return posix(where) ? of("rw-------") : acl(where) ? aclFor(where, EnumSet.noneOf(AclEntryFlag.class)) : NONE;
    }

    /** {@code rwx------} where the default file system has POSIX permissions. */
    public static FileAttribute<?>[] directory() {
        return directory(posix());
    }

    /** {@code rwx------} when {@code restrict}, else none. */
    public static FileAttribute<?>[] directory(boolean restrict) {
        return restrict ? of("rwx------") : NONE;
    }

    /** As {@link #file(Path)} for a directory: its ACL entry is inherited by the files and directories made in it. */
    public static FileAttribute<?>[] directory(Path where) throws IOException {
        return posix(where) ? of("rwx------") : acl(where)
                ? aclFor(where, EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT)) : NONE;
    }

    /** A creation of a file or directory with the attributes given (a lambda over {@code Files} or {@code FileChannel.open}). */
    @FunctionalInterface
    public interface Creation<T> {
        T create(FileAttribute<?>... attributes) throws IOException;
    }

    /**
     * Creates {@code path} owner-only through {@code creation}: with the attributes of {@link #file(Path)}
     * or {@link #directory(Path)}, given at creation. On a file system with ACLs the ACL is read back
     * and set again when it holds anything else, before the caller writes: Windows may merge the
     * parent's inheritable entries into the one given, and a file system may refuse an ACL at creation
     * (jimfs does; it is then created without and set at once).
     */
    public static <T> T create(Path path, boolean directory, Creation<T> creation) throws IOException {
        FileAttribute<?>[] attributes = directory ? directory(path) : file(path);
        if (!acl(path)) {
            return creation.create(attributes);
        }
        T created;
        try {
            created = creation.create(attributes);
        } catch (UnsupportedOperationException e) {
            created = creation.create();
        }
        try {
            @SuppressWarnings("unchecked")
            List<AclEntry> acl = (List<AclEntry>) attributes[0].value();
            AclFileAttributeView view = Files.getFileAttributeView(path, AclFileAttributeView.class);
            if (!view.getAcl().equals(acl)) {
                view.setAcl(acl);
            }
        } catch (IOException | RuntimeException failed) {
            if (created instanceof Closeable c) {
                c.close();
            }
            throw failed;
        }
        return created;
    }

    /** Creates the directory {@code dir} owner-only ({@link #create}). */
    public static Path createDirectory(Path dir) throws IOException {
        return create(dir, true, a -> Files.createDirectory(dir, a));
    }

    /** Creates {@code dir} and its missing parents, each owner-only; one made meanwhile by another run is fine. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * This process's user in {@code where}'s file system: the account named by {@code user.name}, as
     * the owner of what this process creates is on Windows.
     */
    public static UserPrincipal currentUser(Path where) throws IOException {
        FileSystem fs = where.getFileSystem();
        return fs.getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
    }

    private static FileAttribute<?>[] aclFor(Path where, Set<AclEntryFlag> flags) throws IOException {
        UserPrincipal me;
        try {
            me = currentUser(where);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot make a file owner-only in " + where + ": this user's account ("
                    + System.getProperty("user.name") + ") is not found: " + e.getMessage(), e);
        }
        AclEntry entry = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(me)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class)).setFlags(flags).build();
        List<AclEntry> acl = List.of(entry);
        return new FileAttribute<?>[] {new FileAttribute<List<AclEntry>>() {
            @Override
            public String name() {
                return "acl:acl";
            }

            @Override
            public List<AclEntry> value() {
                return acl;
            }
        }};
    }

    private static FileAttribute<?>[] of(String permissions) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
