package io.evkeygen.spi.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload scratch directory names its process, so a killed run's leftover is removed by the next one. */
class StagedKeySetTest {
    @TempDir
    Path tmp;

    private String tmpdirBefore;

    @BeforeEach
    void redirectTmpdir() {
        tmpdirBefore = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
    }

    @AfterEach
    void restoreTmpdir() {
        System.setProperty("java.io.tmpdir", tmpdirBefore);
    }

    @Test
    void aKilledRunsScratchDirectoryIsRemovedAndALiveOneKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectory(tmp.resolve(StagedKeySet.PREFIX + gone.pid() + "-0123456789ab"));
        Files.write(stale.resolve("EvalKey.json"), new byte[1024]); // a spilled EvalKey
        Path live = Files.createDirectory(tmp.resolve(StagedKeySet.PREFIX + ProcessHandle.current().pid() + "-ba9876543210"));
        Path unrelated = Files.createDirectory(tmp.resolve(StagedKeySet.PREFIX + "42"));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path precious = Files.writeString(elsewhere.resolve("precious"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve(StagedKeySet.PREFIX + gone.pid() + "-fedcba987654"), elsewhere);

        Path scratch;
        try (StagedKeySet set = new StagedKeySet()) {
            scratch = set.scratchDirectory();
            assertFalse(Files.exists(stale), "the killed run's leftover is removed");
            assertTrue(Files.isDirectory(live), "a running process's directory is kept");
            assertTrue(Files.isDirectory(unrelated));
            assertTrue(Files.exists(precious) && Files.isSymbolicLink(link), "a link of that name is not followed");
            assertEquals(tmp, scratch.getParent());
            assertTrue(scratch.getFileName().toString().matches(
                    StagedKeySet.PREFIX + ProcessHandle.current().pid() + "-[0-9a-f]{12}"), scratch.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch)));
        }
        assertFalse(Files.exists(scratch), "closing deletes it");
    }
}
