package io.evkeygen.engine;

import io.evkeygen.KeygenException;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/** Picks a key-generation backend by the name given to {@code --backend} or the SDK. */
public final class EngineSelector {
    /** Loaded by name so this class compiles before the pure-Java engine lands. */
    static final String JAVA_ENGINE = "io.evkeygen.engine.JavaKeyEngine";

    private EngineSelector() {}

    /** {@code auto} and {@code java}: the pure-Java engine; {@code native}: not available yet. */
    public static KeyEngine select(String backend) {
        String name = backend == null ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "auto":
            case "java":
                return javaEngine();
            case "native":
                throw KeygenException.usage("native backend not available yet: use --backend java");
            default:
                throw KeygenException.usage("unknown backend '" + backend + "': use auto or java");
        }
    }

    private static KeyEngine javaEngine() {
        try {
            return (KeyEngine) Class.forName(JAVA_ENGINE).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new KeygenException(KeygenException.Kind.FAILURE,
                    "the Java key engine (" + JAVA_ENGINE + ") is missing from this build", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new KeygenException(KeygenException.Kind.FAILURE, "the Java key engine failed to start: " + cause, cause);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new KeygenException(KeygenException.Kind.FAILURE, "the Java key engine cannot be created: " + e, e);
        }
    }
}
