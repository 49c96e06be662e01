package io.evkeygen.internal.stream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Key data on its way into an envelope (docs/FORMAT.md): takes the raw bytes, writes their base64
 * (key_data) to the envelope's stream as it goes, and ends with their SHA-256 (the entry's hash).
 * One implementation per backend does both, so the bytes are never hashed on one side of the
 * native boundary and encoded on the other. Not thread-safe.
 */
public abstract class KeyDataEncoder extends OutputStream implements ByteBufferOutput {

    /** Opens an encoder writing text to {@code text}, for about {@code expectedLength} bytes. */
    @FunctionalInterface
    public interface Factory {
        /** {@code parallel}: hashing and encoding may run on threads of their own beside the producer. */
        KeyDataEncoder open(OutputStream text, long expectedLength, boolean parallel);
    }

    /** The JDK's SHA-256 and the Java base64, as {@link ChunkPipeline} stages. */
    public static final Factory JAVA = JavaKeyDataEncoder::new;

    /** Chars of the base64 (with padding) of {@code length} bytes. */
    public static long textLength(long length) {
        return (length + 2) / 3 * 4;
    }

    /** Raw bytes taken so far. */
    public abstract long count();

    /** Writes the last base64 quantum (with its padding) and returns the SHA-256 of every byte taken. */
    public abstract byte[] finish() throws IOException;

    /** Releases the encoder, finished or not (the producer failed); never throws, idempotent. */
    @Override
    public abstract void close();
}
