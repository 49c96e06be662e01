package io.evkeygen.testutil;

import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the fuzz targets (docs/FUZZING.md) accept from a reader fed bad bytes: a {@link KeygenException}
 * of kind INVALID_KEY, USAGE, UNSEAL or IO, or an IOException. Anything else (NullPointerException,
 * IndexOutOfBounds, NegativeArraySize, ArithmeticException, OutOfMemoryError from a lying length, a
 * KeygenException of kind FAILURE, ...) is a finding: it is rethrown so Jazzer records the input.
 */
public final class FuzzExpectations {
    private static final Set<KeygenException.Kind> EXPECTED = EnumSet.of(KeygenException.Kind.INVALID_KEY,
            KeygenException.Kind.USAGE, KeygenException.Kind.UNSEAL, KeygenException.Kind.IO);

    /**
     * Issue 11 class 3: a parser failure surfaces as an INVALID_KEY KeygenException, never as a bare
     * IOException from the JSON library. On by default; -Devkeygen.fuzz.strictIo=false turns it off.
     */
    public static final boolean STRICT_IO = !"false".equals(System.getProperty("evkeygen.fuzz.strictIo"));

    private FuzzExpectations() {}

    /** Rethrows {@code t} unless it is an expected refusal of bad input. */
    public static void expected(Throwable t) {
        expected(t, EXPECTED);
    }

    /** Rethrows {@code t} unless it is a refusal of one of {@code kinds} (a reader with a narrower contract). */
    public static void expected(Throwable t, Set<KeygenException.Kind> kinds) {
        if (t instanceof KeygenException k) {
            if (kinds.contains(k.kind())) {
                return;
            }
            throw new AssertionError("unexpected KeygenException kind " + k.kind(), t);
        }
        if (t instanceof IOException && !STRICT_IO) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("unexpected exception", t);
    }
}
