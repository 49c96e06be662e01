package io.evkeygen.spi;

import java.io.IOException;

/** Produces a key set's files into a sink; a store calls it once inside its transaction. */
@FunctionalInterface
public interface KeySetWriter {
    void writeTo(KeyFileSink sink) throws IOException;
}
