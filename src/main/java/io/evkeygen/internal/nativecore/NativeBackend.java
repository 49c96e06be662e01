package io.evkeygen.internal.nativecore;

import io.evkeygen.keyset.NativeLibraryStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point to the native library: loading (once, on first use), status, and the process-wide
 * SIMD cap. Key generation itself goes through {@code io.evkeygen.internal.engine.NativeKeyEngine}.
 */
public final class NativeBackend {
    private NativeBackend() {}

    /** Loads the library if not yet tried; true when it can be used. */
    public static boolean isAvailable() {
        return NativeLoader.load().ok();
    }

    /** Current status: availability, library path, SIMD level new sessions use, or why not. */
    public static NativeLibraryStatus status() {
        NativeLoader.Loaded l = NativeLoader.load();
        if (!l.ok()) {
            return new NativeLibraryStatus(false, l.path(), l.source(), null, null, null, null, l.reason(), l.notCached());
        }
        int level = EvkLibrary.evk_simd_level();
        return new NativeLibraryStatus(true, l.path(), l.source(), EvkLibrary.evk_version(),
                EvkLibrary.evk_simd_name(level), EvkLibrary.evk_simd_name(EvkLibrary.evk_simd_best()),
                EvkLibrary.evk_aes_name(level), null, l.notCached());
    }

    /** Throws {@link IllegalStateException} with the reason when the library is unavailable. */
    public static void require() {
        NativeLoader.Loaded l = NativeLoader.load();
        if (!l.ok()) {
            throw new IllegalStateException("native backend unavailable: " + l.reason());
        }
    }

    /** SIMD level names this CPU can run, from {@code scalar} up to the best, in the library's order. */
    public static List<String> availableSimdLevels() {
        require();
        List<String> out = new ArrayList<>();
        for (int level = 0; level < EvkLibrary.evk_simd_count(); level++) {
            if (EvkLibrary.evk_simd_supported(level)) {
                out.add(EvkLibrary.evk_simd_name(level));
            }
        }
        return out;
    }

    /**
     * Caps the SIMD level of sessions opened afterwards, process-wide (tests, benchmarks), like the
     * environment variable {@code EVKEYGEN_SIMD}; null restores the environment / automatic choice.
     * Returns the level now in effect.
     */
    public static String setSimdCap(String level) {
        require();
        int code = level == null ? -1 : EvkLibrary.evk_simd_parse(level);
        if (level != null && code < 0) {
            throw new IllegalArgumentException("unknown SIMD level '" + level + "': use " + levelNames());
        }
        return EvkLibrary.evk_simd_name(EvkLibrary.evk_set_simd_cap(code));
    }

    /** "scalar, neon, avx2 or avx512": every level the library knows, supported here or not. */
    private static String levelNames() {
        int count = EvkLibrary.evk_simd_count();
        StringBuilder names = new StringBuilder();
        for (int level = 0; level < count; level++) {
            names.append(level == 0 ? "" : level == count - 1 ? " or " : ", ").append(EvkLibrary.evk_simd_name(level));
        }
        return names.toString();
    }

    /** Text of a native status code. */
    static String message(int status) {
        return EvkLibrary.evk_status_message(status) + " (" + status + ")";
    }

    /** Throws {@link IllegalStateException} for a non-zero status. */
    public static void check(int status, String what) {
        if (status != EvkLibrary.OK) {
            throw new IllegalStateException(what + " failed: " + message(status));
        }
    }
}
