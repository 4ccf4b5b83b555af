package io.ulm.model.recsys;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The sampled protocol of the sequential-recommendation literature (SASRec, Kang &amp; McAuley 2018): each held-out item
 * is ranked against {@code negatives} items the user never touched (in any part of her history), drawn uniformly
 * without replacement with a seed, so every model is ranked against the same candidates. HR@K = share of users whose
 * held-out item ranks in the top K of the 1 + negatives candidates; NDCG@K = mean 1 / log2(rank + 2), rank from 0.
 * A tie ranks the lower item index first, as {@link TopK} does in the full-ranking protocol.
 *
 * <p>Uniform negatives are easy to beat for any model that knows popularity, so this protocol overstates quality
 * compared with ranking the whole catalogue ({@link RankingEvaluator}); both are reported.
 */
public final class SampledRanking {

    /** The usual number of sampled candidates. */
    public static final int NEGATIVES = 100;

    /** HR@K and NDCG@K of one model over {@code users} held-out items. */
    public record Result(String model, int k, int users, double hr, double ndcg) {
    }

    private SampledRanking() {
    }

    /** For every held-out (user, item), the negatives: items outside {@code touched.itemsOf(user)}, seeded. */
    public static Map<HeldOut, int[]> negatives(List<HeldOut> heldOut, InteractionMatrix touched, int negatives, long seed) {
        Map<HeldOut, int[]> out = new LinkedHashMap<>();
        Random random = new Random(seed);
        int items = touched.numItems();
        for (HeldOut h : heldOut) {
            int[] seen = touched.itemsOf(h.user());
            int available = items - seen.length - (Arrays.binarySearch(seen, h.item()) >= 0 ? 0 : 1);
            if (available < negatives) {
                throw new IllegalArgumentException("user " + h.user() + " has touched all but " + available + " items");
            }
            int[] drawn = new int[negatives];
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (int n = 0; n < negatives; ) {
                int item = random.nextInt(items);
                if (item != h.item() && Arrays.binarySearch(seen, item) < 0 && taken.add(item)) {
                    drawn[n++] = item;
                }
            }
            out.put(h, drawn);
        }
        return out;
    }

    /** Ranks each held-out item among its negatives by the model's scores. */
    public static Result evaluate(Recommender model, Map<HeldOut, int[]> candidates, int k) {
        double hits = 0;
        double ndcg = 0;
        for (Map.Entry<HeldOut, int[]> e : candidates.entrySet()) {
            double[] scores = model.scores(e.getKey().user());
            int rank = rank(item -> scores[item], e.getKey().item(), e.getValue());
            hits += rank < k ? 1 : 0;
            ndcg += ndcg(rank, k);
        }
        int n = Math.max(1, candidates.size());
        return new Result(model.name(), k, candidates.size(), hits / n, ndcg / n);
    }

    /** How many negatives rank above the target (higher score, or equal score and lower index). */
    public static int rank(java.util.function.IntToDoubleFunction score, int target, int[] negatives) {
        double s = score.applyAsDouble(target);
        int above = 0;
        for (int n : negatives) {
            double other = score.applyAsDouble(n);
            if (other > s || (other == s && n < target)) {
                above++;
            }
        }
        return above;
    }

    /** The NDCG@K gain of one held-out item at a 0-based rank. */
    public static double ndcg(int rank, int k) {
        return rank < k ? 1 / (Math.log(rank + 2) / Math.log(2)) : 0;
    }
}
