package io.ulm.model.recsys;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** Partial selection of the k best scores, deterministic on ties (lower index first). */
public final class TopK {

    private TopK() {
    }

    /**
     * Keeps a sorted window of the k best by insertion: O(n·k) in the worst case, but recommendation lists are short
     * (k ≤ a few dozen) and most scores fall below the window's tail after the first items, so it beats a heap here.
     */
    public static List<ScoredItem> select(double[] scores, int k, IntPredicate exclude) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        if (k == 0) {
            return List.of();
        }
        int[] best = new int[k];
        int size = 0;
        for (int item = 0; item < scores.length; item++) {
            if (Double.isNaN(scores[item]) || (size == k && !(scores[item] > scores[best[k - 1]]))) {
                continue;
            }
            // asked only of an item that would enter the window: the same result, far fewer (e.g. hash) look-ups
            if (exclude.test(item)) {
                continue;
            }
            int at = size < k ? size++ : k - 1;
            while (at > 0 && scores[item] > scores[best[at - 1]]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = item;
        }
        List<ScoredItem> result = new ArrayList<>(size);
        for (int at = 0; at < size; at++) {
            result.add(new ScoredItem(best[at], scores[best[at]]));
        }
        return result;
    }
}
