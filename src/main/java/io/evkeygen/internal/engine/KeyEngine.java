package io.evkeygen.internal.engine;

import io.evkeygen.internal.stream.Base64Encoder;
import io.evkeygen.internal.stream.KeyDataEncoder;
import io.evkeygen.internal.stream.Sha256Digest;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;

/**
 * A key-generation backend (pure Java or native). Backends are byte-identical: the same seed and
 * parameters give the same {@code .bin} bytes on every backend, platform and thread count.
 */
public interface KeyEngine {

    /** {@code "java"} or {@code "native"}. */
    String name();

    /**
     * Starts a key set: derives every stream from the seed and samples the secret. The session
     * holds secret material until closed. The seed may be closed once this returns.
     *
     * @param threads worker threads for batches of keys (at least 1); output does not depend on it
     */
    KeySetSession open(Parameters params, Seed seed, int threads);

    /** The base64 encoder envelopes of this engine's keys are written with (same chars for all). */
    default Base64Encoder base64Encoder() {
        return Base64Encoder.JAVA;
    }

    /** Hashes and encodes streamed key data (the EvalKey) on this engine's side of the native boundary. */
    default KeyDataEncoder.Factory keyDataEncoders() {
        return KeyDataEncoder.JAVA;
    }

    /** A SHA-256 for the key data of this engine's files (same digest for all). */
    default Sha256Digest newSha256() {
        return Sha256Digest.jdk();
    }
}
