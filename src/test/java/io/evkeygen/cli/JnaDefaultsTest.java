package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JnaDefaultsTest {

    @Test
    void theMultiarchDirectoriesComeFirst() {
        assertTrue(JnaDefaults.linuxLibraryDirectories("amd64").startsWith("/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:"));
        assertTrue(JnaDefaults.linuxLibraryDirectories("aarch64").startsWith("/usr/lib/aarch64-linux-gnu:"));
        assertTrue(JnaDefaults.linuxLibraryDirectories("amd64").endsWith(":/usr/lib:/lib"));
    }

    @Test
    void aPathTheUserSetIsKept() {
        String before = System.getProperty(JnaDefaults.PLATFORM_PATH);
        try {
            System.setProperty(JnaDefaults.PLATFORM_PATH, "/opt/mine");
            JnaDefaults.apply();
            assertEquals("/opt/mine", System.getProperty(JnaDefaults.PLATFORM_PATH));
        } finally {
            if (before == null) {
                System.clearProperty(JnaDefaults.PLATFORM_PATH);
            } else {
                System.setProperty(JnaDefaults.PLATFORM_PATH, before);
            }
        }
    }
}
