package io.evkeygen.internal.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.score.Ranking.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The heap selection and the merge give what a full sort by (score desc, ciphertext, item) gives. */
class RankingTest {

    /** The reference: every item sorted, filtered, cut to k. */
    private static List<Hit> bySort(List<float[]> scores, int k, Float threshold) {
        List<Hit> all = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            for (int j = 0; j < scores.get(i).length; j++) {
                float s = scores.get(i)[j];
                if (threshold == null || s >= threshold) {
                    all.add(new Hit(s, i, j));
                }
            }
        }
        all.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingInt(Hit::ciphertext)
                .thenComparingInt(Hit::item));
        return all.subList(0, Math.min(k, all.size()));
    }

    private static List<Hit> rank(List<float[]> scores, int k, Float threshold) {
        List<int[]> tops = new ArrayList<>();
        for (float[] s : scores) {
            tops.add(Ranking.top(s, k, threshold != null, threshold == null ? 0 : threshold));
        }
        return Ranking.merge(tops, scores, k);
    }

    @Test
    void agreesWithAFullSortOnScoresFullOfTies() {
        Random rnd = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<float[]> scores = new ArrayList<>();
            int cts = 1 + rnd.nextInt(5);
            for (int i = 0; i < cts; i++) {
                float[] s = new float[1 + rnd.nextInt(300)];
                for (int j = 0; j < s.length; j++) {
                    s[j] = (rnd.nextInt(20) - 10) / 8f; // 20 values: many ties within and across ciphertexts
                }
                scores.add(s);
            }
            int k = rnd.nextInt(4) == 0 ? 2000 : rnd.nextInt(40);
            Float threshold = rnd.nextBoolean() ? null : (rnd.nextInt(20) - 10) / 8f;
            assertEquals(bySort(scores, k, threshold), rank(scores, k, threshold), "round " + round);
        }
    }

    @Test
    void kZeroGivesNothingAndALargeKEverything() {
        float[] s = {0.5f, 0.25f, 0.75f};
        assertEquals(List.of(), rank(List.of(s), 0, null));
        assertEquals(List.of(new Hit(0.75f, 0, 2), new Hit(0.5f, 0, 0), new Hit(0.25f, 0, 1)),
                rank(List.of(s), Integer.MAX_VALUE, null));
    }

    @Test
    void theThresholdKeepsScoresAtLeastIt() {
        float[] s = {0.5f, 0.25f, 0.75f, 0.5f};
        assertEquals(List.of(new Hit(0.75f, 0, 2), new Hit(0.5f, 0, 0), new Hit(0.5f, 0, 3)),
                rank(List.of(s), 10, 0.5f));
        assertEquals(List.of(), rank(List.of(s), 10, 0.8f));
    }

    @Test
    void tiesRankByCiphertextThenItem() {
        float[] a = {1f, 2f, 2f};
        float[] b = {2f, 3f};
        assertEquals(List.of(new Hit(3f, 1, 1), new Hit(2f, 0, 1), new Hit(2f, 0, 2), new Hit(2f, 1, 0)),
                rank(List.of(a, b), 4, null));
    }

    @Test
    void nanRanksBelowEveryNumberAndNegativeZeroTiesZero() {
        float[] s = {Float.NaN, Float.NEGATIVE_INFINITY, Float.NaN, -0f, 0f};
        assertArrayEquals(new int[] {3, 4, 1, 0, 2}, Ranking.top(s, 5, false, 0));
        assertArrayEquals(new int[] {3, 4}, Ranking.top(s, 5, true, 0f), "NaN is never >= a threshold");
        assertTrue(Ranking.compare(Float.NaN, Float.NEGATIVE_INFINITY) < 0);
        assertEquals(0, Ranking.compare(-0f, 0f));
        assertEquals(0, Ranking.compare(Float.NaN, Float.NaN));
    }
}
