package io.evkeygen.internal.nativecore;

import io.evkeygen.keyset.NativeLibraryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /** SIMD level names this CPU can run, from {@code scalar} up to the best. */
    public static List<String> availableSimdLevels() {
        require();
        int best = EvkLibrary.evk_simd_best();
        List<String> out = new ArrayList<>();
        out.add("scalar");
        if (best == EvkLibrary.SIMD_NEON) {
            out.add("neon");
        }
        for (int l = EvkLibrary.SIMD_AVX2; l <= best; l++) {
            out.add(EvkLibrary.evk_simd_name(l));
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
        int code = level == null ? -1 : switch (level.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> EvkLibrary.SIMD_SCALAR;
            case "neon" -> EvkLibrary.SIMD_NEON;
            case "avx2" -> EvkLibrary.SIMD_AVX2;
            case "avx512" -> EvkLibrary.SIMD_AVX512;
            default -> throw new IllegalArgumentException("unknown SIMD level '" + level
                    + "': use scalar, neon, avx2 or avx512");
        };
        return EvkLibrary.evk_simd_name(EvkLibrary.evk_set_simd_cap(code));
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
