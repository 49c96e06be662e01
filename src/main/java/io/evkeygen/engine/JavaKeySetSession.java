package io.evkeygen.engine;

import io.evkeygen.format.BinLayout;
import io.evkeygen.format.SecKeyBin;
import io.evkeygen.keys.KeySwitchSources;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.random.Prng;
import io.evkeygen.random.PrngStream;
import io.evkeygen.random.Samplers;
import io.evkeygen.random.Seed;
import io.evkeygen.random.StreamLabels;
import io.evkeygen.random.StreamLabels.Component;
import io.evkeygen.ring.RingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** Pure-Java key set generation: writes the spec's .bin layouts straight from the samplers. */
final class JavaKeySetSession implements KeySetSession {
    private final Parameters params;
    private final RingContext ring;
    private final Prng prng;
    private final int threads;
    private final byte[] secret;
    private final RlweSampler sampler;
    private long[] relinSourceQ;
    private ExecutorService pool;

    JavaKeySetSession(Parameters params, Seed seed, int threads) {
        this.params = params;
        this.ring = RingContext.of(params);
        this.prng = new Prng(seed);
        this.threads = Math.max(1, threads);
        PrngStream st = prng.stream(StreamLabels.secret(params));
        this.secret = Samplers.ternary(st, params.n(), params.hammingWeight());
        st.wipe();
        this.sampler = new RlweSampler(ring, prng, secret);
    }

    @Override
    public byte[] secKeyBin() {
        return SecKeyBin.encode(params, secret);
    }

    @Override
    public void writeEncKeyBin(OutputStream out) throws IOException {
        Function<Component, String> labels = c -> StreamLabels.publicKey(params, c);
        PolyWriter w = new PolyWriter(out, params.n());
        w.bytes(BinLayout.header(BinLayout.TAG_ENCKEY, params));
        w.poly(sampler.a(labels, Component.A_Q));
        w.poly(sampler.a(labels, Component.A_P));
        w.poly(sampler.b(labels, true, null));
        w.poly(sampler.b(labels, false, null));
    }

    @Override
    public void writeEvalKeyBin(EvalMode mode, List<Integer> dims, OutputStream out) throws IOException {
        PolyWriter w = new PolyWriter(out, params.n());
        if (mode == EvalMode.MM) {
            w.u8(0);
            return;
        }
        for (int rank : Dimensions.padRanks(mode, dims)) {
            String name = BinLayout.eviKeysName(rank);
            recordHeader(w, name, BinLayout.eviKeysLength(params, rank));
            writeEviKeys(w, rank);
        }
        byte[] meta = BinLayout.metadataEval(mode, dims, params);
        recordHeader(w, BinLayout.METADATA_EVAL_NAME, meta.length);
        w.bytes(meta);
    }

    private static void recordHeader(PolyWriter w, String name, long dataLength) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        w.u8(BinLayout.RECORD_MARK);
        w.u64(nameBytes.length);
        w.bytes(nameBytes);
        w.u64(dataLength);
    }

    /**
     * EVIKeys&lt;r&gt;.bin: relinearization key (aQ, aP, bQ, bP), then the r mod-pack keys grouped by
     * component. Each component pass regenerates what it needs from the streams, so memory holds only
     * the polynomials in flight.
     */
    private void writeEviKeys(PolyWriter w, int rank) throws IOException {
        w.u8(BinLayout.TAG_EVIKEYS);
        Function<Component, String> relin = c -> StreamLabels.relinearization(params, rank, c);
        w.poly(sampler.a(relin, Component.A_Q));
        w.poly(sampler.a(relin, Component.A_P));
        w.poly(sampler.b(relin, true, relinSourceQ()));
        w.poly(sampler.b(relin, false, null));

        ExecutorService ex = pool();
        OrderedParallelMap.run(ex, threads, rank,
                k -> sampler.a(modPackLabels(rank, k), Component.A_Q), w::poly);
        OrderedParallelMap.run(ex, threads, rank,
                k -> sampler.a(modPackLabels(rank, k), Component.A_P), w::poly);
        OrderedParallelMap.run(ex, threads, rank,
                k -> sampler.b(modPackLabels(rank, k), true, modPackSourceQ(rank, k)), w::poly);
        OrderedParallelMap.run(ex, threads, rank,
                k -> sampler.b(modPackLabels(rank, k), false, null), w::poly);
    }

    private Function<Component, String> modPackLabels(int rank, int k) {
        return c -> StreamLabels.modPack(params, rank, k, c);
    }

    /** P * s^2 (relinearization source), computed once per session. */
    private synchronized long[] relinSourceQ() {
        if (relinSourceQ == null) {
            relinSourceQ = KeySwitchSources.relinearization(ring, sampler.secretNttQ());
        }
        return relinSourceQ;
    }

    private long[] modPackSourceQ(int rank, int k) {
        return KeySwitchSources.modPack(ring, secret, rank, k);
    }

    private synchronized ExecutorService pool() {
        if (pool == null && threads > 1) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "evkeygen-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        Arrays.fill(secret, (byte) 0);
        sampler.wipe();
        if (relinSourceQ != null) {
            Arrays.fill(relinSourceQ, 0);
        }
        prng.close();
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }
}
