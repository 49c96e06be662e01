package io.evkeygen.engine;

import io.evkeygen.KeygenException;
import java.util.Locale;

/** Picks a key-generation backend by the name given to {@code --backend} or the SDK. */
public final class EngineSelector {
    private EngineSelector() {}

    /** {@code auto} and {@code java}: the pure-Java engine; {@code native}: not available yet. */
    public static KeyEngine select(String backend) {
        String name = backend == null ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "auto":
            case "java":
                return new JavaKeyEngine();
            case "native":
                throw KeygenException.usage("native backend not available yet: use --backend java");
            default:
                throw KeygenException.usage("unknown backend '" + backend + "': use auto, java or native");
        }
    }
}
