package io.evkeygen.internal.score;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ranking of SCORES.md ("Ranking, as the Python SDK's local path does it"): scores descending, equal
 * scores by ciphertext then by item, ascending. One total order, so the top {@code k} of all items is
 * the top {@code k} of the per-ciphertext top {@code min(k, n_i)} lists: each is selected with a bounded
 * heap (no sort of every item), then the few candidates are merged. A NaN ranks below every number
 * (decryption cannot produce one: every decrypted value is finite); {@code -0.0} ties with {@code 0.0}.
 */
public final class Ranking {
    private Ranking() {}

    /** One ranked item: its score, its ciphertext's position and its index in that ciphertext. */
    public record Hit(float score, int ciphertext, int item) {}

    private static final Comparator<Hit> BEST_FIRST = (x, y) -> {
        int c = compare(y.score, x.score);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(x.ciphertext, y.ciphertext);
        return c != 0 ? c : Integer.compare(x.item, y.item);
    };

    /** Numeric order with every NaN below every number (and NaNs equal). */
    static int compare(float a, float b) {
        if (a > b) {
            return 1;
        }
        if (a < b) {
            return -1;
        }
        if (a == b) {
            return 0;
        }
        boolean aNaN = a != a;
        boolean bNaN = b != b;
        return aNaN == bNaN ? 0 : aNaN ? -1 : 1;
    }

    /**
     * The indices of the best {@code min(k, scores.length)} items with score {@code >= threshold} (when
     * {@code keepAtLeast}), best first.
     */
    public static int[] top(float[] scores, int k, boolean keepAtLeast, float threshold) {
        int cap = Math.min(k, scores.length);
        int[] heap = new int[cap]; // min-heap: the root is the worst item kept
        int size = 0;
        for (int j = 0; j < scores.length; j++) {
            float s = scores[j];
            if (keepAtLeast && !(s >= threshold)) {
                continue;
            }
            if (size < cap) {
                heap[size] = j;
                siftUp(heap, size++, scores);
            } else if (cap > 0 && compare(s, scores[heap[0]]) > 0) { // a tie loses: its index is larger
                heap[0] = j;
                siftDown(heap, size, scores);
            }
        }
        int[] best = new int[size];
        for (int i = size - 1; i >= 0; i--) { // pop the worst into the last free place
            best[i] = heap[0];
            heap[0] = heap[i];
            siftDown(heap, i, scores);
        }
        return best;
    }

    /** Merges per-ciphertext lists from {@link #top} (list i indexes {@code scores.get(i)}): the first {@code k}. */
    public static List<Hit> merge(List<int[]> tops, List<float[]> scores, int k) {
        List<Hit> all = new ArrayList<>();
        for (int i = 0; i < tops.size(); i++) {
            for (int j : tops.get(i)) {
                all.add(new Hit(scores.get(i)[j], i, j));
            }
        }
        all.sort(BEST_FIRST);
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** Whether item x ranks below item y of the same ciphertext. */
    private static boolean worse(int x, int y, float[] scores) {
        int c = compare(scores[x], scores[y]);
        return c < 0 || (c == 0 && x > y);
    }

    private static void siftUp(int[] heap, int at, float[] scores) {
        int v = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!worse(v, heap[parent], scores)) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = v;
    }

    private static void siftDown(int[] heap, int size, float[] scores) {
        if (size == 0) {
            return;
        }
        int v = heap[0];
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(heap[child + 1], heap[child], scores)) {
                child++;
            }
            if (!worse(heap[child], v, scores)) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = v;
    }
}
