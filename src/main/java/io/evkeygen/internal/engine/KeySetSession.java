package io.evkeygen.internal.engine;

import io.evkeygen.internal.layout.EvalKeyLayout;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One key set being generated: a secret and everything derived from it. Each write method may be
 * called any number of times and always writes the same bytes (keys are regenerated from their
 * streams, never cached whole), so a caller can hash a file in one pass and encode it in another.
 * Closing zeroes the secret.
 */
public interface KeySetSession extends AutoCloseable {

    /** A copy of SecKey.bin (spec section 3); the caller zeroes it when done. */
    byte[] secKeyBin();

    /** Writes EncKey.bin (spec section 4). */
    void writeEncKeyBin(OutputStream out) throws IOException;

    /**
     * Writes EvalKey.bin (spec section 5) record by record as {@code layout} lists them; for MM the
     * single byte 0x00. Streams: never holds more than a batch of key-switching keys in memory.
     */
    void writeEvalKeyBin(EvalKeyLayout layout, OutputStream out) throws IOException;

    /** Zeroes the secret. */
    @Override
    void close();
}
