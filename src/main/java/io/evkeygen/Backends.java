package io.evkeygen;

import io.evkeygen.internal.engine.EngineSelector;
import io.evkeygen.internal.engine.NativeKeyEngine;
import io.evkeygen.internal.nativecore.NativeCache;
import java.nio.file.Path;
import io.evkeygen.keyset.NativeLibraryStatus;

/**
 * The key-generation backends: {@code native} (the bundled C++ core, through JNA) and {@code java}.
 * Both write the same bytes for the same seed; {@code auto} takes native when its library loads.
 */
public final class Backends {
    private Backends() {}

    /**
     * The backend a name selects: {@code auto}, {@code native} or {@code java}.
     *
     * @throws io.evkeygen.error.KeygenException USAGE for an unknown name, FAILURE when native cannot load
     */
    public static String resolve(String name) {
        return EngineSelector.select(name).name();
    }

    /** The system property JNA reads its dispatch library's directory from. */
    public static final String JNA_BOOT_PATH = "jna.boot.library.path";

    /**
     * For an application's {@code main}, before anything uses JNA: lets JNA load its dispatch library
     * from the per-user cache that holds libevkeygen ({@code $XDG_CACHE_HOME/evkeygen/native}, checked
     * against JNA's jar on each start) instead of extracting a temporary copy of it at every start,
     * which costs a CLI run several milliseconds. Sets {@value #JNA_BOOT_PATH}; does nothing when that
     * is set already, when JNA is loaded, or when no cache can be written. A library leaves its host's
     * system properties alone, so the SDK never calls this itself.
     */
    public static void useCachedJnaDispatchLibrary() {
        if (System.getProperty(JNA_BOOT_PATH) != null || "true".equals(System.getProperty("jna.loaded"))) {
            return;
        }
        Path dir = NativeCache.jnaDispatchDirectory();
        if (dir != null) {
            System.setProperty(JNA_BOOT_PATH, dir.toString());
        }
    }

    /** Whether the native library loaded here, from where, at which SIMD level, or why not. */
    public static NativeLibraryStatus nativeStatus() {
        return NativeKeyEngine.status();
    }
}
