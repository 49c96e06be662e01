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

    @Test
    void jnasBootPathIsLeftAloneOnceJnaIsLoadedOrSet() {
        String before = System.getProperty(io.evkeygen.Backends.JNA_BOOT_PATH);
        try {
            System.setProperty(io.evkeygen.Backends.JNA_BOOT_PATH, "/opt/jna");
            io.evkeygen.Backends.useCachedJnaDispatchLibrary();
            assertEquals("/opt/jna", System.getProperty(io.evkeygen.Backends.JNA_BOOT_PATH));
            System.clearProperty(io.evkeygen.Backends.JNA_BOOT_PATH);
            assertTrue(com.sun.jna.Native.POINTER_SIZE > 0); // JNA loaded: its dispatch library is in place already
            io.evkeygen.Backends.useCachedJnaDispatchLibrary();
            assertEquals(null, System.getProperty(io.evkeygen.Backends.JNA_BOOT_PATH));
        } finally {
            if (before == null) {
                System.clearProperty(io.evkeygen.Backends.JNA_BOOT_PATH);
            } else {
                System.setProperty(io.evkeygen.Backends.JNA_BOOT_PATH, before);
            }
        }
    }
}
