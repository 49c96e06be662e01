package io.evkeygen;

import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.util.List;

/**
 * Decrypts enVector search scores ({@code EVCiphertext.data}, ../shared/spec/SCORES.md) with a key
 * set's secret key and ranks them, as the KMS's TopK does. Holds the secret key (in NTT form) until
 * closed; close zeroes it. Malformed input is a {@code KeygenException} of kind USAGE naming the
 * problem, never garbage. Thread-safe once built.
 */
public final class ScoreDecryptor implements AutoCloseable {

    private ScoreDecryptor() {}

    /** From a loaded key set (its SecKey, parameters, eval mode and dims). */
    public static ScoreDecryptor of(KeySet keys) throws IOException {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /**
     * From a stored key set, reading only what decryption needs (SecKey, opened with {@code kek},
     * and the set's parameters, eval mode and dims), never the whole EvalKey.
     */
    public static ScoreDecryptor open(KeyStore store, String keyId, KekProvider kek) throws IOException {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    public Parameters parameters() {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    public EvalMode evalMode() {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    public List<Integer> dims() {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /** The default score scale, {@code 2^(2·SF)} (IP0 2^48, IP1 2^68). */
    public double defaultScale() {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /**
     * The pad rank that decodes a ciphertext whose header says {@code headerDim}: that dim's when it
     * is one of the set's dims, else the one all the set's dims share; otherwise a USAGE error naming
     * the problem (for example "dims with pad ranks 32 and 64: generate with one dim").
     */
    public int padRank(long headerDim) {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /** The {@code n} scores of one ciphertext at the default scale and the pad rank its header implies. */
    public float[] decrypt(byte[] data) {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /** The {@code n} scores of one ciphertext at an explicit pad rank and scale (fixtures, tools). */
    public float[] decrypt(byte[] data, int padRank, double scale) {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /**
     * Decrypts each ciphertext (default scale) and ranks the items (SCORES.md, "Ranking"): at most
     * {@code k} results, scores descending, ties by ciphertext then item; {@code threshold} (null: none)
     * keeps scores {@code >=} it; {@code shardIndices} (empty: the ciphertext's index) must be
     * parallel to {@code ciphertexts}.
     */
    public List<RankedScore> topK(List<byte[]> ciphertexts, int k, Float threshold, long[] shardIndices) {
        throw new UnsupportedOperationException("issue 23: scores");
    }

    /** Zeroes the secret key. */
    @Override
    public void close() {}
}
