package io.evkeygen.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.spi.remote.StagedKeySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one definition of owner-only permissions, and a user of it: the upload staging directory. */
class OwnerOnlyTest {
    @TempDir
    Path tmp;

    @Test
    void filesAndDirectoriesAreOwnerOnlyFromCreation() throws Exception {
        assumeTrue(OwnerOnly.posix(tmp));
        Path f = Files.createFile(tmp.resolve("f"), OwnerOnly.file());
        Path d = Files.createDirectory(tmp.resolve("d"), OwnerOnly.directory());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        assertEquals(0, OwnerOnly.file(false).length);
        try (StagedKeySet staged = new StagedKeySet()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(staged.scratchDirectory())));
        }
    }
}
