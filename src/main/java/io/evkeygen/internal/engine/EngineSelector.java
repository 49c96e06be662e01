package io.evkeygen.internal.engine;

import io.evkeygen.error.KeygenException;
import java.util.Locale;

/**
 * Picks a key-generation backend by the name given to {@code --backend} or the SDK. Both backends
 * produce identical bytes, so {@code auto} may take whichever is fastest here.
 */
public final class EngineSelector {
    private static final System.Logger LOG = System.getLogger("io.evkeygen.engine");

    private EngineSelector() {}

    /**
     * {@code auto}: native when its library loads, else pure Java (the reason is logged once);
     * {@code native}: native or a FAILURE saying why not; {@code java}: pure Java.
     */
    public static KeyEngine select(String backend) {
        String name = backend == null ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "auto":
                KeyEngine engine = NativeKeyEngine.isAvailable() ? NativeKeyEngine.load() : new JavaKeyEngine();
                LOG.log(System.Logger.Level.INFO, () -> "backend auto: " + engine.name() + " ("
                        + NativeKeyEngine.status().describe() + ")");
                return engine;
            case "native":
                return NativeKeyEngine.load();
            case "java":
                return new JavaKeyEngine();
            default:
                throw KeygenException.usage("unknown backend '" + backend + "': use auto, native or java");
        }
    }
}
