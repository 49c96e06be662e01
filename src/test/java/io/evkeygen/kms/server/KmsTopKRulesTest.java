package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.kms.internal.proto.KmsV2.TopKRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TopKResponse;
import io.evkeygen.params.EvalMode;
import io.evkeygen.server.internal.proto.CommonV2.EVCiphertext;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TopK's server-side rules with a {@link FakeRanker} in place of the score decoder (its decryption and
 * ranking are the SDK's, tested with the fixtures): k clamped to max_k, shard indices parallel, the
 * 64 MiB request limit, decoder errors as InvalidInput, the key state read on every call, the opened
 * key cached and closed when a transition invalidates it.
 */
class KmsTopKRulesTest {
    @TempDir
    static Path tmp;
    static KmsFixture kms;
    static final List<FakeRanker> opened = new ArrayList<>();
    static final AtomicInteger opens = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        kms = new KmsFixture(tmp, KmsFixture.plaintext().maxK(100).rankers(keyId -> {
            opens.incrementAndGet();
            FakeRanker r = new FakeRanker(EvalMode.RMP);
            synchronized (opened) {
                opened.add(r);
            }
            return r;
        }));
        kms.generateAndWait("topk-1");
    }

    @AfterAll
    static void stop() throws Exception {
        kms.close();
    }

    private static TopKResponse topK(int k, int ciphertexts, int bytesEach, List<Long> shards, Float threshold) {
        TopKRequest.Builder b = TopKRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("topk-1").setK(k)
                .addAllShardIndices(shards);
        for (int i = 0; i < ciphertexts; i++) {
            b.addEncryptedScores(EVCiphertext.newBuilder().setDegree(1).setData(KmsFixture.bytes(new byte[bytesEach])));
        }
        if (threshold != null) {
            b.setScoreThreshold(threshold);
        }
        return kms.call(KmsRpcs.TOP_K, b.build());
    }

    private static FakeRanker last() {
        synchronized (opened) {
            return opened.get(opened.size() - 1);
        }
    }

    @Test
    void kIsClampedToMaxKNotRefused() {
        TopKResponse r = topK(5000, 2, 16, List.of(), null);
        assertEquals(ReturnCode.Success, r.getHeader().getReturnCode());
        assertEquals(100, r.getResultsCount());
        assertEquals(100, (int) last().ks.get(last().ks.size() - 1));
        TopKResponse big = topK(-1, 1, 16, List.of(), null); // uint32 4294967295
        assertEquals(100, big.getResultsCount());
    }

    @Test
    void shardIndicesAreParallelAndPassedThroughWithTheThreshold() {
        TopKResponse r = topK(3, 2, 16, List.of(7L, 9L), 0.25f);
        assertEquals(ReturnCode.Success, r.getHeader().getReturnCode());
        FakeRanker f = last();
        assertArrayEquals(new long[] {7, 9}, f.shards.get(f.shards.size() - 1));
        assertEquals(0.25f, f.thresholds.get(f.thresholds.size() - 1));
        assertEquals(7, r.getResults(0).getMetadataIdx().getShardIdx());
        assertEquals(2, r.getResults(2).getMetadataIdx().getRowIdx());
        topK(3, 2, 16, List.of(), null);
        assertNull(f.thresholds.get(f.thresholds.size() - 1), "no threshold unless sent");
        TopKResponse mismatch = topK(3, 2, 16, List.of(1L), null);
        assertEquals(ReturnCode.InvalidInput, mismatch.getHeader().getReturnCode());
        assertTrue(mismatch.getHeader().getErrorMessage().contains("parallel"));
    }

    @Test
    void aRequestOfSixtyFourLevelZeroCiphertextsIsAccepted() {
        // 64 ciphertexts of 65,568 bytes: 4.2 MB, over gRPC's 4 MiB default
        TopKResponse r = topK(10, 64, 65_568, List.of(), null);
        assertEquals(ReturnCode.Success, r.getHeader().getReturnCode());
        assertEquals(64, (int) last().ciphertextCounts.get(last().ciphertextCounts.size() - 1));
    }

    @Test
    void aMalformedCiphertextIsInvalidInputNamingTheProblem() {
        topK(1, 1, 16, List.of(), null); // the key is open and cached
        last().failWith = KeygenException.usage("score ciphertext 0: level 3 is beyond 1");
        TopKResponse r = topK(3, 1, 16, List.of(), null);
        assertEquals(ReturnCode.InvalidInput, r.getHeader().getReturnCode());
        assertEquals("score ciphertext 0: level 3 is beyond 1", r.getHeader().getErrorMessage());
    }

    @Test
    void theOpenedKeyIsCachedAndClosedWhenAStateChangeInvalidatesIt() {
        topK(1, 1, 16, List.of(), null);
        int before = opens.get();
        FakeRanker cached = last();
        topK(1, 1, 16, List.of(), null);
        assertEquals(before, opens.get(), "a second call reuses the opened key");
        assertEquals(ReturnCode.Success, kms.transition("topk-1", KeyState.KEY_STATE_SUSPENDED).getReturnCode());
        assertTrue(cached.closed, "closed (zeroed) when the key is suspended");
        TopKResponse refused = topK(1, 1, 16, List.of(), null);
        assertEquals(ReturnCode.Fail, refused.getHeader().getReturnCode());
        assertEquals("key topk-1 is suspended", refused.getHeader().getErrorMessage());
        assertEquals(ReturnCode.Success, kms.transition("topk-1", KeyState.KEY_STATE_ACTIVE).getReturnCode());
        assertEquals(ReturnCode.Success, topK(1, 1, 16, List.of(), null).getHeader().getReturnCode());
        assertEquals(before + 1, opens.get(), "opened again after the transition");
        assertFalse(last().closed);
    }
}
