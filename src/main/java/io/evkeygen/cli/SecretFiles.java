package io.evkeygen.cli;

import io.evkeygen.error.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Locale;
import java.util.Set;

/** Files that hold a secret (a token, a client secret): ssh's rule for key files, as a warning. */
final class SecretFiles {
    /** Accounts Windows gives every file in a profile, which can read any file anyway (as root can). */
    private static final Set<String> SYSTEM_ACCOUNTS = Set.of("system", "administrators");

    private SecretFiles() {}

    /**
     * Warns when {@code file} is readable by its group or by others: by its POSIX mode, or, on a file
     * system with ACLs instead (Windows), by an entry that lets anyone but its owner, SYSTEM and
     * Administrators read it. A file system with neither has nothing to check.
     */
    static void warnIfReadableByOthers(Path file, PrintWriter err) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        AclFileAttributeView acl = view == null ? Files.getFileAttributeView(file, AclFileAttributeView.class) : null;
        try {
            if (view != null) {
                Set<PosixFilePermission> permissions = view.readAttributes().permissions();
                if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    KekOptions.warn(err, file + " is readable by others; chmod 600 it");
                }
            } else if (acl != null) {
                String reader = otherReader(acl.getAcl(), acl.getOwner());
                if (reader != null) {
                    KekOptions.warn(err, file + " is readable by " + Printable.escape(reader)
                            + "; remove that entry: icacls \"" + file + "\" /inheritance:r /grant:r %USERNAME%:F");
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // its reading succeeds or fails on its own; the permissions are only advice
        }
    }

    /** The name of the first principal other than {@code owner} and the system accounts an entry lets read, or null. */
    static String otherReader(Iterable<AclEntry> entries, UserPrincipal owner) {
        for (AclEntry e : entries) {
            if (e.type() != AclEntryType.ALLOW || !e.permissions().contains(AclEntryPermission.READ_DATA)
                    || e.principal().equals(owner)) {
                continue;
            }
            String name = e.principal().getName();
            String account = name.substring(name.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
            if (!SYSTEM_ACCOUNTS.contains(account)) {
                return name;
            }
        }
        return null;
    }
}
