package io.evkeygen.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reads an envelope, streaming its key data out, and verifies hash, aad and integrity. */
public final class EnvelopeReader {
    private EnvelopeReader() {}

    /**
     * Parses and verifies one envelope.
     *
     * @param in       the JSON bytes
     * @param expected the kind the caller expects (a different kind is refused), or null for any
     * @param binSink  receives the decoded key data, streamed; may be null to only verify
     * @throws io.evkeygen.KeygenException INVALID_KEY on malformed JSON or any mismatch
     */
    public static Envelope read(InputStream in, KeyFileKind expected, OutputStream binSink) throws IOException {
        throw new UnsupportedOperationException("TODO(format helper)");
    }
}
