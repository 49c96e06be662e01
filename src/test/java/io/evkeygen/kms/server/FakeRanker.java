package io.evkeygen.kms.server;

import io.evkeygen.RankedScore;
import io.evkeygen.params.EvalMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Ranker} that records what TopK passed it and answers k made-up results (one per item up
 * to k), so the server's own rules (clamping, parallel shard indices, state, errors, caching and
 * zeroing) are tested without the score decoder. {@code failWith} makes the next call throw.
 */
final class FakeRanker implements Ranker {
    final EvalMode mode;
    final List<Integer> ks = new ArrayList<>();
    final List<Integer> ciphertextCounts = new ArrayList<>();
    final List<Float> thresholds = new ArrayList<>();
    final List<long[]> shards = new ArrayList<>();
    volatile RuntimeException failWith;
    volatile boolean closed;

    FakeRanker(EvalMode mode) {
        this.mode = mode;
    }

    @Override
    public EvalMode evalMode() {
        return mode;
    }

    @Override
    public synchronized List<RankedScore> topK(List<byte[]> ciphertexts, int k, Float threshold, long[] shardIndices) {
        if (closed) {
            throw new IllegalStateException("used after close");
        }
        ks.add(k);
        ciphertextCounts.add(ciphertexts.size());
        thresholds.add(threshold);
        shards.add(shardIndices);
        RuntimeException f = failWith;
        if (f != null) {
            failWith = null;
            throw f;
        }
        List<RankedScore> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(new RankedScore(1.0f - i / 4096f, shardIndices.length == 0 ? 0 : shardIndices[0], i));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }
}
