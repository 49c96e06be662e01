package io.evkeygen.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Files that hold a secret (a token, a client secret): ssh's rule for key files, as a warning. */
final class SecretFiles {
    private SecretFiles() {}

    /**
     * Warns when {@code file} is readable by its group or by others. A file system without POSIX
     * permissions (Windows, say) has nothing to check.
     */
    static void warnIfReadableByOthers(Path file, PrintWriter err) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException | UnsupportedOperationException e) {
            return; // its reading succeeded or fails on its own; the mode is only advice
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            KekOptions.warn(err, file + " is readable by others; chmod 600 it");
        }
    }
}
