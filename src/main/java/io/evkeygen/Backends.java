package io.evkeygen;

import io.evkeygen.internal.engine.EngineSelector;
import io.evkeygen.internal.engine.NativeKeyEngine;
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

    /** Whether the native library loaded here, from where, at which SIMD level, or why not. */
    public static NativeLibraryStatus nativeStatus() {
        return NativeKeyEngine.status();
    }
}
