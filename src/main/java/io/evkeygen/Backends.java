package io.evkeygen;

import io.evkeygen.internal.engine.EngineSelector;
import io.evkeygen.internal.engine.NativeKeyEngine;
import io.evkeygen.internal.nativecore.NativeCache;
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

    /**
     * For an application's {@code main}: lets JNA load its dispatch library from the per-user cache
     * that holds libevkeygen ({@code $XDG_CACHE_HOME/evkeygen/native}, used only when its directories and
     * the copy are this user's alone and the copy is the one extracted and hashed from JNA's jar)
     * instead of extracting a temporary copy of it at every start, which costs a CLI run several
     * milliseconds. When the SDK first loads its native library it then sets {@code
     * jna.boot.library.path}, unless that is set already, JNA is loaded, or the cache cannot be used.
     * A library leaves its host's system properties alone, so the SDK never does this by itself.
     */
    public static void useCachedJnaDispatchLibrary() {
        NativeCache.allowJnaDispatchFromCache();
    }

    /** Whether the native library loaded here, from where, at which SIMD level, or why not. */
    public static NativeLibraryStatus nativeStatus() {
        return NativeKeyEngine.status();
    }
}
