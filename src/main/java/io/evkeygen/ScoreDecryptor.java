package io.evkeygen;

import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.internal.score.PadRanks;
import io.evkeygen.internal.score.Ranking;
import io.evkeygen.internal.score.ScoreCiphertext;
import io.evkeygen.internal.score.ScoreDecoder;
import io.evkeygen.internal.seal.SecretFiles;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Decrypts enVector search scores ({@code EVCiphertext.data}, ../shared/spec/SCORES.md) with a key
 * set's secret key and ranks them, as the KMS's TopK does. Holds the secret key (in NTT form) until
 * closed; close zeroes it. Malformed input is a {@code KeygenException} of kind USAGE naming the
 * problem ("score ciphertext i: ..."), never garbage. Thread-safe once built; close it after the
 * last call. MM sets are refused ("TopK for MM sets is not supported"): how a ranking indexes MM
 * output is not established.
 */
public final class ScoreDecryptor implements AutoCloseable {
    private final Parameters params;
    private final EvalMode mode;
    private final List<Integer> dims;
    private final PadRanks padRanks;
    private final ScoreDecoder decoder;

    private ScoreDecryptor(Parameters params, EvalMode mode, List<Integer> dims, byte[] secKeyBin) {
        this.params = Objects.requireNonNull(params, "params");
        this.mode = Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dims, "dims");
        // never Dimensions.normalize's default for an empty list: a set without dims decodes nothing
        this.dims = mode == EvalMode.MM || dims.isEmpty() ? List.of() : Dimensions.normalize(dims);
        this.padRanks = new PadRanks(mode, this.dims);
        this.decoder = new ScoreDecoder(params, secKeyBin);
    }

    /** From a loaded key set (its SecKey, parameters, eval mode and dims). */
    public static ScoreDecryptor of(KeySet keys) throws IOException {
        try (SecretBytes sk = keys.secretKey()) {
            return new ScoreDecryptor(keys.parameters(), keys.evalMode(), keys.dims(), sk.reveal());
        }
    }

    /**
     * From a stored key set, reading only what decryption needs (SecKey, opened with {@code kek},
     * and the set's parameters, eval mode and dims), never holding the EvalKey. Neither SecKey nor EncKey
     * names the eval mode or the dims (their envelopes' {@code eval_mode} is empty): only EvalKey does,
     * in its envelope and in its last record, metadata-eval.json. So EvalKey.json is streamed once
     * through its table of contents, its hash checked, holding none of its key data (a FLAT 4096
     * EvalKey takes seconds to stream). A caller that knows the mode and dims (the KMS, which chose
     * them) uses {@link #open(KeyStore, String, KekProvider, EvalMode, List)}, which reads SecKey only.
     *
     * @param kek opens a sealed SecKey; null for an unsealed one
     * @throws KeygenException INVALID_KEY when a file is malformed or names another key id, UNSEAL when
     *                         {@code kek} cannot open SecKey, IO or STORE when the store fails
     */
    public static ScoreDecryptor open(KeyStore store, String keyId, KekProvider kek) throws IOException {
        KeyIds.check(keyId);
        EvalKeyContainer.Index index = new EvalKeyContainer.Index();
        Envelope eval;
        try (InputStream in = store.open(keyId, KeyFileKind.EVALKEY)) {
            eval = EnvelopeReader.read(in, KeyFileKind.EVALKEY, index);
        }
        requireKid(eval, keyId);
        EvalMode mode = eval.header().evalMode();
        String recorded = index.metadataEvalMode();
        if (recorded != null && !recorded.equals(mode.name())) {
            throw KeygenException.invalidKey("EvalKey.json of key " + keyId + ": envelope eval mode " + mode
                    + " differs from metadata-eval.json's " + recorded);
        }
        return openSecKey(store, keyId, kek, eval.header().parameters(), mode, index.dims());
    }

    /**
     * As {@link #open(KeyStore, String, KekProvider)} with the eval mode and dims given by a caller that
     * recorded them (the set's generator): reads SecKey only. Wrong dims give wrong pad ranks, hence
     * garbage scores: pass what the set was generated with.
     */
    public static ScoreDecryptor open(KeyStore store, String keyId, KekProvider kek, EvalMode mode,
                                      List<Integer> dims) throws IOException {
        KeyIds.check(keyId);
        return openSecKey(store, keyId, kek, null, mode, dims);
    }

    /** Opens SecKey (kid checked before anything is unsealed) and, when given, checks its parameters. */
    private static ScoreDecryptor openSecKey(KeyStore store, String keyId, KekProvider kek, Parameters expected,
                                             EvalMode mode, List<Integer> dims) throws IOException {
        SecretFiles.Opened sec;
        try (InputStream in = store.open(keyId, KeyFileKind.SECKEY)) {
            sec = SecretFiles.read(in, KeyFileKind.SECKEY, kek, env -> requireKid(env, keyId));
        }
        try {
            Parameters params = sec.envelope().header().parameters();
            if (expected != null && !expected.equals(params)) {
                throw KeygenException.invalidKey("SecKey.json and EvalKey.json of key " + keyId
                        + " name different parameters (" + params.preset() + ", " + expected.preset() + ")");
            }
            return new ScoreDecryptor(params, mode, dims, sec.plain());
        } finally {
            Arrays.fill(sec.plain(), (byte) 0);
        }
    }

    private static void requireKid(Envelope env, String keyId) {
        if (!env.header().kid().equals(keyId)) {
            throw KeygenException.invalidKey(env.header().kind().fileName() + " stored under key id " + keyId
                    + " is key " + Printable.escape(env.header().kid()) + "'s"); // the file's words: escaped
        }
    }

    public Parameters parameters() {
        return params;
    }

    public EvalMode evalMode() {
        return mode;
    }

    /** The set's dims, sorted (empty for MM). */
    public List<Integer> dims() {
        return dims;
    }

    /** The default score scale, {@code 2^(2·SF)} with SF the DB scale factor (IP0 2^48, IP1 2^68). */
    public double defaultScale() {
        return Math.pow(2, 2 * params.dbScale());
    }

    /**
     * The pad rank that decodes a ciphertext whose header says {@code headerDim}: that dim's when it
     * is one of the set's dims, else the one all the set's dims share; otherwise a USAGE error naming
     * the problem (for example "dims with pad ranks 32 and 64: generate with one dim").
     */
    public int padRank(long headerDim) {
        return padRanks.of(headerDim, "");
    }

    /** The {@code n} scores of one ciphertext at the default scale and the pad rank its header implies. */
    public float[] decrypt(byte[] data) {
        requireNotMm();
        ScoreCiphertext ct = ScoreCiphertext.parse(0, data);
        return decoder.decode(ct, data, padRanks.of(ct.dim(), "score ciphertext 0: "), defaultScale());
    }

    /** The {@code n} scores of one ciphertext at an explicit pad rank and scale (fixtures, tools). */
    public float[] decrypt(byte[] data, int padRank, double scale) {
        requireNotMm();
        return decoder.decode(ScoreCiphertext.parse(0, data), data, padRank, scale);
    }

    /**
     * Decrypts each ciphertext (default scale) and ranks the items (SCORES.md, "Ranking"): at most
     * {@code k} results, scores descending, ties by ciphertext then item; {@code threshold} (null: none)
     * keeps scores {@code >=} it; {@code shardIndices} (null or empty: the ciphertext's index) must be
     * parallel to {@code ciphertexts}. {@code k = 0} asks for nothing and decrypts nothing; a k above
     * the item count gives every item. Each ciphertext's header is checked before any is decrypted;
     * they are decrypted in parallel on the common fork-join pool.
     *
     * @throws KeygenException USAGE for a negative k, a NaN threshold, shard indices of another length,
     *                         an MM set or a malformed ciphertext ("score ciphertext i: ...")
     */
    public List<RankedScore> topK(List<byte[]> ciphertexts, int k, Float threshold, long[] shardIndices) {
        Objects.requireNonNull(ciphertexts, "ciphertexts");
        requireNotMm();
        if (k < 0) {
            throw KeygenException.usage("k is " + k + ": it must be 0 or more");
        }
        if (threshold != null && threshold.isNaN()) {
            throw KeygenException.usage("the score threshold is NaN: give a number or none");
        }
        boolean byIndex = shardIndices == null || shardIndices.length == 0;
        if (!byIndex && shardIndices.length != ciphertexts.size()) {
            throw KeygenException.usage(shardIndices.length + " shard indices for " + ciphertexts.size()
                    + " score ciphertexts: give one per ciphertext, or none");
        }
        if (k == 0 || ciphertexts.isEmpty()) {
            return List.of();
        }
        List<ScoreCiphertext> headers = new ArrayList<>(ciphertexts.size());
        int[] ranks = new int[ciphertexts.size()];
        for (int i = 0; i < ciphertexts.size(); i++) {
            ScoreCiphertext ct = ScoreCiphertext.parse(i, ciphertexts.get(i));
            ranks[i] = padRanks.of(ct.dim(), "score ciphertext " + i + ": ");
            headers.add(ct);
        }
        double scale = defaultScale();
        boolean keep = threshold != null;
        float min = keep ? threshold : 0f;
        List<Decrypted> done = IntStream.range(0, headers.size()).parallel().mapToObj(i -> {
            try {
                float[] s = decoder.decode(headers.get(i), ciphertexts.get(i), ranks[i], scale);
                return new Decrypted(s, Ranking.top(s, k, keep, min), null);
            } catch (KeygenException e) {
                return new Decrypted(null, null, e);
            }
        }).toList();
        List<float[]> scores = new ArrayList<>(done.size());
        List<int[]> tops = new ArrayList<>(done.size());
        for (Decrypted d : done) {
            if (d.refusal() != null) {
                throw d.refusal(); // the first malformed ciphertext, whichever thread met it
            }
            scores.add(d.scores());
            tops.add(d.top());
        }
        List<RankedScore> out = new ArrayList<>();
        for (Ranking.Hit h : Ranking.merge(tops, scores, k)) {
            out.add(new RankedScore(h.score(), byIndex ? h.ciphertext() : shardIndices[h.ciphertext()], h.item()));
        }
        return List.copyOf(out);
    }

    /** One ciphertext's scores and the indices of its best items, or why it was refused. */
    private record Decrypted(float[] scores, int[] top, KeygenException refusal) {}

    private void requireNotMm() {
        if (mode == EvalMode.MM) {
            throw KeygenException.usage(PadRanks.MM_UNSUPPORTED);
        }
    }

    /** Zeroes the secret key; idempotent. */
    @Override
    public void close() {
        decoder.close();
    }
}
