package io.evkeygen.format;

import java.io.IOException;
import java.io.OutputStream;

/** Writes canonical envelopes (spec section 6) byte-exactly, streaming the key data. */
public final class EnvelopeWriter {
    private EnvelopeWriter() {}

    /**
     * Writes one envelope. Calls {@code bin.writeTo} twice: once to hash, once to base64-encode,
     * so memory stays bounded whatever the key size.
     */
    public static void write(EnvelopeHeader header, BinSource bin, OutputStream out) throws IOException {
        throw new UnsupportedOperationException("TODO(format helper)");
    }
}
