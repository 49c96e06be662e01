package io.evkeygen.internal.nativecore;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The platform this JVM runs on, named as the bundled libraries are (docs/NATIVE.md, "Platforms"):
 * operating system, architecture and, on Linux, the C library. JNA's own resource prefix does not
 * tell musl from glibc, and a glibc library must never be loaded on musl or the other way round, so
 * the loader picks the resource from this, not from JNA.
 *
 * @param os   {@code linux}, {@code windows}, {@code macos}, or the JVM's {@code os.name} when none of them
 * @param arch {@code x86-64}, {@code aarch64}, or the JVM's {@code os.arch} when neither
 * @param libc {@code glibc} or {@code musl} on Linux, null elsewhere
 */
record NativePlatform(String os, String arch, String libc) {
    static final String GLIBC = "glibc";
    static final String MUSL = "musl";

    /** The seven platforms a library is built for: its resource directory, file name and classifier jar. */
    enum Target {
        LINUX_X86_64("linux", "x86-64", GLIBC, "linux-x86-64", "libevkeygen.so", "linux-x86_64"),
        LINUX_AARCH64("linux", "aarch64", GLIBC, "linux-aarch64", "libevkeygen.so", "linux-aarch_64"),
        LINUX_X86_64_MUSL("linux", "x86-64", MUSL, "linux-x86-64-musl", "libevkeygen.so", "linux-x86_64-musl"),
        LINUX_AARCH64_MUSL("linux", "aarch64", MUSL, "linux-aarch64-musl", "libevkeygen.so", "linux-aarch_64-musl"),
        WINDOWS_X86_64("windows", "x86-64", null, "win32-x86-64", "evkeygen.dll", "windows-x86_64"),
        MACOS_X86_64("macos", "x86-64", null, "darwin-x86-64", "libevkeygen.dylib", "osx-x86_64"),
        MACOS_AARCH64("macos", "aarch64", null, "darwin-aarch64", "libevkeygen.dylib", "osx-aarch_64");

        final String os;
        final String arch;
        final String libc;
        final String directory;
        final String file;
        final String classifier;

        Target(String os, String arch, String libc, String directory, String file, String classifier) {
            this.os = os;
            this.arch = arch;
            this.libc = libc;
            this.directory = directory;
            this.file = file;
            this.classifier = classifier;
        }

        /** {@code <directory>/<file>}: where the library lies on the class path. */
        String resource() {
            return directory + "/" + file;
        }
    }

    /** What libc detection reads, injected by tests: {@code /proc/self/maps}' lines, and whether a file exists. */
    interface Probe {
        /** The lines of {@code /proc/self/maps}, or null when it cannot be read. */
        Stream<String> maps();

        boolean exists(String path);
    }

    private static NativePlatform current;

    /** This JVM's platform (detected once). */
    static synchronized NativePlatform current() {
        if (current == null) {
            current = detect(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), SYSTEM);
        }
        return current;
    }

    static NativePlatform detect(String osName, String osArch, Probe probe) {
        String os = os(osName);
        String arch = arch(osArch);
        return new NativePlatform(os, arch, os.equals("linux") ? libc(arch, probe) : null);
    }

    static String os(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "macos";
        }
        return osName;
    }

    static String arch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86-64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
    }

    /**
     * musl or glibc: first what the JVM itself has mapped (musl's loader is {@code ld-musl-<arch>.so.1},
     * Alpine's libc {@code libc.musl-<arch>.so.1}; glibc's {@code libc.so.6}), then, when the maps
     * cannot be read or name neither, whether musl's loader is installed.
     */
    static String libc(String arch, Probe probe) {
        try (Stream<String> maps = probe.maps()) {
            if (maps != null) {
                String found = maps.map(NativePlatform::libcOf).filter(l -> l != null).findFirst().orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        String muslArch = arch.equals("x86-64") ? "x86_64" : arch;
        return probe.exists("/lib/ld-musl-" + muslArch + ".so.1") ? MUSL : GLIBC;
    }

    private static String libcOf(String mapsLine) {
        if (mapsLine.contains("/ld-musl-") || mapsLine.contains("/libc.musl-")) {
            return MUSL;
        }
        if (mapsLine.contains("/libc.so.6") || mapsLine.contains("/libc-2.")) {
            return GLIBC;
        }
        return null;
    }

    /** The library built for this platform, or null when evkeygen builds none for it. */
    Target target() {
        for (Target t : Target.values()) {
            if (t.os.equals(os) && t.arch.equals(arch) && Objects.equals(t.libc, libc)) {
                return t;
            }
        }
        return null;
    }

    /** "OS linux, architecture aarch64, libc musl": what a reason names. */
    String describe() {
        return "OS " + os + ", architecture " + arch + (libc == null ? "" : ", libc " + libc);
    }

    /**
     * Why no library fits: the platform, the resource looked for and the classifier jar that carries
     * it; the hint about the native build only when this jar carries no library at all ({@code
     * anyBundled} false: the build host's own library failed to build).
     */
    String missing(String version, boolean anyBundled) {
        Target t = target();
        if (t == null) {
            return "no native library for this platform (" + describe() + "): evkeygen builds it for Linux (glibc, musl),"
                    + " Windows and macOS on x86-64 and aarch64 only";
        }
        String why = "no native library for this platform (" + describe() + "): " + t.resource()
                + " is not on the class path";
        if (!anyBundled) {
            return why + " and this jar carries no native library (built without a C++ compiler or CMake?)";
        }
        return why + "; add io.evkeygen:evkeygen:" + (version == null ? "<version>" : version) + ":" + t.classifier;
    }

    /**
     * For a load error naming JNA's dispatch library on musl: JNA's jar carries it built for glibc
     * (it needs {@code libc.so.6}), so it loads only with a glibc shim; otherwise "".
     */
    String muslJnaHint(String message) {
        return MUSL.equals(libc) && message != null && message.contains("jnidispatch")
                ? "JNA's dispatch library is built for glibc (on Alpine: apk add gcompat): " : "";
    }

    private static final Probe SYSTEM = new Probe() {
        @Override
        public Stream<String> maps() {
            try {
                BufferedReader r = Files.newBufferedReader(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
                return r.lines().onClose(() -> {
                    try {
                        r.close();
                    } catch (IOException e) {
                        // read-only: nothing was lost
                    }
                });
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public boolean exists(String path) {
            return Files.exists(Path.of(path));
        }
    };
}
