package io.evkeygen.cli;

import io.evkeygen.Backends;
import java.util.Locale;

/**
 * JNA settings for the CLI process only (a library leaves its host application's system properties
 * alone). Without {@code jna.platform.library.path}, JNA's first use forks {@code /sbin/ldconfig -p}
 * to list the system's library directories, tens of milliseconds of every run; the native core is
 * loaded by absolute path and libc by its soname, so the standard directories serve as well. JNA's
 * dispatch library comes from the per-user cache instead of a temporary copy per run
 * ({@link Backends#useCachedJnaDispatchLibrary}).
 */
final class JnaDefaults {
    static final String PLATFORM_PATH = "jna.platform.library.path";

    private JnaDefaults() {}

    /** Sets the platform library path to the standard directories, unless the user set it. */
    static void apply() {
        if (System.getProperty(PLATFORM_PATH) == null
                && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            System.setProperty(PLATFORM_PATH, linuxLibraryDirectories(System.getProperty("os.arch", "")));
        }
        Backends.useCachedJnaDispatchLibrary();
    }

    /** The directories JNA itself puts first, for {@code os.arch}: the multiarch ones, then lib64, lib. */
    static String linuxLibraryDirectories(String osArch) {
        String cpu = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
        String multiarch = cpu + "-linux-gnu";
        return String.join(":", "/usr/lib/" + multiarch, "/lib/" + multiarch, "/usr/lib64", "/lib64", "/usr/lib", "/lib");
    }
}
