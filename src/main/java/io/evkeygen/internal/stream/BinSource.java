package io.evkeygen.internal.stream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The {@code .bin} bytes of one key file, replayable: canonical JSON puts {@code hash} before
 * {@code key_data}, so an envelope writer needs the digest before it streams the data.
 */
public interface BinSource {

    /** Exact number of bytes {@link #writeTo} produces. */
    long length();

    /** Writes the bytes; every call writes the same bytes. */
    void writeTo(OutputStream out) throws IOException;

    /** A source over bytes already in memory (not copied). */
    static BinSource ofBytes(byte[] bytes) {
        return new BinSource() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
