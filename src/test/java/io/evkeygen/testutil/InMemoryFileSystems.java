package io.evkeygen.testutil;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * jimfs file systems configured as Windows (attribute views basic, owner, acl, dos: no POSIX
 * permissions, no directory channel, no rename onto an existing directory) and as macOS (POSIX), whose
 * files belong to this process's user; and the owner-only check each one has.
 */
public final class InMemoryFileSystems {
    private InMemoryFileSystems() {}

    public static FileSystem windows() {
        return Jimfs.newFileSystem(Configuration.windows().toBuilder()
                .setAttributeViews("basic", "owner", "acl", "dos")
                .setDefaultAttributeValue("owner:owner", System.getProperty("user.name")).build());
    }

    public static FileSystem osX() {
        return Jimfs.newFileSystem(Configuration.osX().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .setDefaultAttributeValue("owner:owner", System.getProperty("user.name")).build());
    }

    /** A directory to work in on {@code fs}. */
    public static Path workDirectory(FileSystem fs) throws IOException {
        return Files.createDirectories(fs.getPath("work").toAbsolutePath());
    }

    /**
     * Whether {@code p} is owner-only as its file system has it: {@code rw-------}/{@code rwx------},
     * or an ACL of one ALLOW entry, for the file's owner.
     */
    public static boolean ownerOnly(Path p) throws IOException {
        AclFileAttributeView acl = Files.getFileAttributeView(p, AclFileAttributeView.class);
        if (acl == null) {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            return perms.equals(Files.isDirectory(p) ? "rwx------" : "rw-------");
        }
        List<AclEntry> entries = acl.getAcl();
        return entries.size() == 1 && entries.get(0).type() == AclEntryType.ALLOW
                && entries.get(0).principal().equals(Files.getOwner(p));
    }
}
