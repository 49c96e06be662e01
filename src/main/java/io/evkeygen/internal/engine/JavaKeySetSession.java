package io.evkeygen.internal.engine;

import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.internal.math.KeySwitchSources;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.internal.random.Prng;
import io.evkeygen.internal.random.PrngStream;
import io.evkeygen.internal.random.Samplers;
import io.evkeygen.internal.random.StreamLabels.Component;
import io.evkeygen.internal.random.StreamLabels;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** Pure-Java key set generation: writes the spec's .bin layouts straight from the samplers. */
final class JavaKeySetSession extends AbstractKeySetSession {
    private final RingContext ring;
    private final Prng prng;
    private final int threads;
    private final byte[] secret;
    private final RlweSampler sampler;
    private long[] relinSourceQ;
    private ExecutorService pool;

    JavaKeySetSession(Parameters params, Seed seed, int threads) {
        super(params);
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
    protected void writeEncKeyPolys(PolyWriter w) throws IOException {
        Function<Component, String> labels = c -> StreamLabels.publicKey(params, c);
        w.poly(sampler.a(labels, Component.A_Q));
        w.poly(sampler.a(labels, Component.A_P));
        w.poly(sampler.b(labels, true, null));
        w.poly(sampler.b(labels, false, null));
    }

    /** The whole body in one range: the ordered map keeps a bounded window of keys in flight. */
    @Override
    protected int batchPolys() {
        return Integer.MAX_VALUE;
    }

    /**
     * Each polynomial is regenerated from its streams (a key's {@code a} again for its {@code b}),
     * so memory holds only the polynomials in flight.
     */
    @Override
    protected void writeEviKeysPolys(PolyWriter w, int rank, int from, int to) throws IOException {
        OrderedParallelMap.run(pool(), threads, to - from, i -> eviKeysPoly(rank, from + i), w::poly);
    }

    private long[] eviKeysPoly(int rank, int index) {
        if (index < 4) {
            Function<Component, String> relin = c -> StreamLabels.relinearization(params, rank, c);
            return switch (index) {
                case 0 -> sampler.a(relin, Component.A_Q);
                case 1 -> sampler.a(relin, Component.A_P);
                case 2 -> sampler.b(relin, true, relinSourceQ());
                default -> sampler.b(relin, false, null);
            };
        }
        int k = (index - 4) % rank;
        Function<Component, String> labels = modPackLabels(rank, k);
        return switch ((index - 4) / rank) {
            case 0 -> sampler.a(labels, Component.A_Q);
            case 1 -> sampler.a(labels, Component.A_P);
            case 2 -> sampler.b(labels, true, modPackSourceQ(rank, k));
            default -> sampler.b(labels, false, null);
        };
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
