package io.evkeygen.verify;

import java.io.IOException;
import java.nio.file.Path;

/** Checks every file of a key directory and every key equation of the spec. */
public final class KeySetVerifier {
    private KeySetVerifier() {}

    /**
     * Verifies the key set in {@code dir}: envelopes (hash, aad, integrity, kinds, matching kid and
     * parameters), binary layouts, and with the SecKey every key equation with |e| bounded.
     *
     * @throws io.evkeygen.KeygenException INVALID_KEY naming the file and the failed check
     */
    public static VerificationReport verify(Path dir) throws IOException {
        throw new UnsupportedOperationException("TODO(core)");
    }
}
