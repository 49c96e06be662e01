package io.evkeygen.internal.engine;

import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;

/** The pure-Java backend: runs anywhere, the reference for the native one. */
public final class JavaKeyEngine implements KeyEngine {
    public static final String NAME = "java";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeySetSession open(Parameters params, Seed seed, int threads) {
        return new JavaKeySetSession(params, seed, threads);
    }
}
