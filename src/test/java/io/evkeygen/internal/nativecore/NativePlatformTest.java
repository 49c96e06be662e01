package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Platform detection from injected inputs (no process is spawned, nothing of this host is read). */
class NativePlatformTest {
    private static final String GLIBC_MAPS = "7f1c2a000000-7f1c2a028000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6";
    private static final String MUSL_MAPS = "7f1c2a000000-7f1c2a014000 r--p 00000000 08:01 99 /lib/ld-musl-x86_64.so.1";
    private static final String ALPINE_LIBC = "7f00 r-xp 00000000 00:1f 12 /usr/lib/libc.musl-aarch64.so.1";
    private static final String JVM_ONLY = "7f00 r-xp 00000000 00:1f 12 /opt/java/lib/server/libjvm.so";

    /** A probe answering from the given maps lines (null: unreadable) and existing files. */
    private static NativePlatform.Probe probe(List<String> maps, Set<String> files) {
        return new NativePlatform.Probe() {
            @Override
            public Stream<String> maps() {
                return maps == null ? null : maps.stream();
            }

            @Override
            public boolean exists(String path) {
                return files.contains(path);
            }
        };
    }

    private static NativePlatform linux(String arch, NativePlatform.Probe probe) {
        return NativePlatform.detect("Linux", arch, probe);
    }

    @Test
    void eachOfTheSevenPlatformsPicksItsResource() {
        NativePlatform.Probe glibc = probe(List.of(JVM_ONLY, GLIBC_MAPS), Set.of());
        NativePlatform.Probe musl = probe(List.of(JVM_ONLY, MUSL_MAPS), Set.of());
        assertEquals("linux-x86-64/libevkeygen.so", linux("amd64", glibc).target().resource());
        assertEquals("linux-aarch64/libevkeygen.so", linux("aarch64", glibc).target().resource());
        assertEquals("linux-x86-64-musl/libevkeygen.so", linux("amd64", musl).target().resource());
        assertEquals("linux-aarch64-musl/libevkeygen.so", linux("aarch64", musl).target().resource());
        NativePlatform.Probe none = probe(null, Set.of());
        assertEquals("win32-x86-64/evkeygen.dll", NativePlatform.detect("Windows 11", "amd64", none).target().resource());
        assertEquals("darwin-x86-64/libevkeygen.dylib", NativePlatform.detect("Mac OS X", "x86_64", none).target().resource());
        assertEquals("darwin-aarch64/libevkeygen.dylib", NativePlatform.detect("Mac OS X", "aarch64", none).target().resource());
        assertEquals("osx-aarch_64", NativePlatform.detect("Mac OS X", "aarch64", none).target().classifier);
        assertEquals("linux-aarch_64-musl", linux("aarch64", musl).target().classifier);
    }

    @Test
    void libcComesFromWhatTheJvmHasMappedFirst() {
        // musl's loader installed (gcompat beside glibc, say) does not outvote a JVM that runs on glibc
        Set<String> muslLoader = Set.of("/lib/ld-musl-x86_64.so.1");
        assertEquals("glibc", linux("amd64", probe(List.of(GLIBC_MAPS), muslLoader)).libc());
        assertEquals("musl", linux("amd64", probe(List.of(MUSL_MAPS), Set.of())).libc());
        assertEquals("musl", linux("aarch64", probe(List.of(ALPINE_LIBC), Set.of())).libc());
    }

    @Test
    void withoutReadableMapsMuslsLoaderDecides() {
        assertEquals("musl", linux("amd64", probe(null, Set.of("/lib/ld-musl-x86_64.so.1"))).libc());
        assertEquals("musl", linux("aarch64", probe(List.of(JVM_ONLY), Set.of("/lib/ld-musl-aarch64.so.1"))).libc());
        // the other architecture's musl loader says nothing about this one
        assertEquals("glibc", linux("aarch64", probe(null, Set.of("/lib/ld-musl-x86_64.so.1"))).libc());
        assertEquals("glibc", linux("amd64", probe(List.of(JVM_ONLY), Set.of())).libc());
    }

    @Test
    void libcIsAskedOnLinuxOnly() {
        NativePlatform.Probe musl = probe(List.of(MUSL_MAPS), Set.of("/lib/ld-musl-x86_64.so.1"));
        assertNull(NativePlatform.detect("Windows 10", "amd64", musl).libc());
        assertNull(NativePlatform.detect("Mac OS X", "aarch64", musl).libc());
    }

    @Test
    void aGlibcLibraryIsNeverPickedOnMuslNorTheOtherWay() {
        for (String arch : List.of("amd64", "aarch64")) {
            NativePlatform.Target onMusl = linux(arch, probe(List.of(MUSL_MAPS), Set.of())).target();
            NativePlatform.Target onGlibc = linux(arch, probe(List.of(GLIBC_MAPS), Set.of())).target();
            assertTrue(onMusl.directory.endsWith("-musl"), onMusl.directory);
            assertFalse(onGlibc.directory.endsWith("-musl"), onGlibc.directory);
        }
    }

    @Test
    void aMissingLibraryNamesThePlatformTheResourceAndTheClassifierJar() {
        NativePlatform p = linux("aarch64", probe(List.of(MUSL_MAPS), Set.of()));
        assertEquals("no native library for this platform (OS linux, architecture aarch64, libc musl):"
                + " linux-aarch64-musl/libevkeygen.so is not on the class path;"
                + " add io.evkeygen:evkeygen:1.2.3:linux-aarch_64-musl", p.missing("1.2.3", true));
        String mac = NativePlatform.detect("Mac OS X", "aarch64", probe(null, Set.of())).missing(null, true);
        assertEquals("no native library for this platform (OS macos, architecture aarch64):"
                + " darwin-aarch64/libevkeygen.dylib is not on the class path;"
                + " add io.evkeygen:evkeygen:<version>:osx-aarch_64", mac);
    }

    @Test
    void theBuildHintOnlyWhenTheJarCarriesNoLibraryAtAll() {
        NativePlatform p = linux("amd64", probe(List.of(GLIBC_MAPS), Set.of()));
        assertFalse(p.missing("1", true).contains("C++ compiler"));
        assertEquals("no native library for this platform (OS linux, architecture x86-64, libc glibc):"
                + " linux-x86-64/libevkeygen.so is not on the class path and this jar carries no native library"
                + " (built without a C++ compiler or CMake?)", p.missing("1", false));
    }

    @Test
    void onMuslAJnaDispatchFailureSaysWhatItNeeds() {
        String jna = "Native library (com/sun/jna/linux-x86-64/libjnidispatch.so) not found in resource path";
        assertEquals("JNA's dispatch library is built for glibc (on Alpine: apk add gcompat): ",
                linux("amd64", probe(List.of(MUSL_MAPS), Set.of())).muslJnaHint(jna));
        assertEquals("", linux("amd64", probe(List.of(GLIBC_MAPS), Set.of())).muslJnaHint(jna));
        assertEquals("", linux("amd64", probe(List.of(MUSL_MAPS), Set.of())).muslJnaHint("Error relocating evk_open"));
    }

    @Test
    void anUnsupportedPlatformSaysSo() {
        NativePlatform.Probe none = probe(null, Set.of());
        String freebsd = NativePlatform.detect("FreeBSD", "amd64", none).missing("1", true);
        assertEquals("no native library for this platform (OS FreeBSD, architecture x86-64): evkeygen builds it"
                + " for Linux (glibc, musl), Windows and macOS on x86-64 and aarch64 only", freebsd);
        assertNull(NativePlatform.detect("Windows 11", "aarch64", none).target());
        assertNull(NativePlatform.detect("Linux", "riscv64", probe(List.of(GLIBC_MAPS), Set.of())).target());
        assertFalse(NativePlatform.detect("Linux", "ppc64le", none).missing("1", false).contains("C++ compiler"));
    }
}
