package io.ulm.model.recsys;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ranking metrics at a cut-off K with binary relevance. Per-user metrics take the recommended item indexes, best
 * first, and the set of relevant (held-out) items; the list-level ones take every user's list. With one held-out
 * item per user, HR@K = Recall@K and MAP@K = MRR@K; they are still computed for sets.
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /** 1 if any relevant item is in the first k, else 0. */
    public static double hitRate(List<Integer> ranked, Set<Integer> relevant, int k) {
        return hits(ranked, relevant, k) > 0 ? 1 : 0;
    }

    /** Share of the relevant items found in the first k. */
    public static double recall(List<Integer> ranked, Set<Integer> relevant, int k) {
        return relevant.isEmpty() ? 0 : (double) hits(ranked, relevant, k) / relevant.size();
    }

    /** DCG of the first k (gain 1 / log2(rank + 1)) over the DCG of the ideal list (all relevant items first). */
    public static double ndcg(List<Integer> ranked, Set<Integer> relevant, int k) {
        double dcg = 0;
        for (int rank = 0; rank < Math.min(k, ranked.size()); rank++) {
            if (relevant.contains(ranked.get(rank))) {
                dcg += discount(rank);
            }
        }
        double ideal = 0;
        for (int rank = 0; rank < Math.min(k, relevant.size()); rank++) {
            ideal += discount(rank);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /** Average precision at k: mean of precision@rank over the ranks of hits, over min(|relevant|, k). */
    public static double averagePrecision(List<Integer> ranked, Set<Integer> relevant, int k) {
        double sum = 0;
        int hits = 0;
        for (int rank = 0; rank < Math.min(k, ranked.size()); rank++) {
            if (relevant.contains(ranked.get(rank))) {
                hits++;
                sum += (double) hits / (rank + 1);
            }
        }
        int possible = Math.min(k, relevant.size());
        return possible == 0 ? 0 : sum / possible;
    }

    /** Catalogue coverage: share of the catalogue's items recommended (in the first k) to at least one user. */
    public static double coverage(Collection<List<Integer>> lists, int k, int numItems) {
        Set<Integer> recommended = lists.stream().flatMap(list -> list.stream().limit(k)).collect(Collectors.toSet());
        return numItems == 0 ? 0 : (double) recommended.size() / numItems;
    }

    /**
     * Novelty: mean self-information −log2(p) of the recommended items (first k of every list), where p is the
     * item's popularity share, the share of users who interacted with it in training. p is Laplace-smoothed,
     * (degree + 1) / (users + 1), so an item nobody has seen (cold, e.g. recommended by content) stays finite: it
     * counts as seen by one extra user, the most novel an item can be.
     */
    public static double novelty(Collection<List<Integer>> lists, int k, InteractionMatrix training) {
        double sum = 0;
        long count = 0;
        for (List<Integer> list : lists) {
            for (int item : list.subList(0, Math.min(k, list.size()))) {
                double share = (training.itemDegree(item) + 1.0) / (training.numUsers() + 1.0);
                sum -= Math.log(share) / Math.log(2);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private static int hits(List<Integer> ranked, Set<Integer> relevant, int k) {
        return (int) ranked.stream().limit(k).filter(relevant::contains).count();
    }

    private static double discount(int rank) {
        return 1 / (Math.log(rank + 2) / Math.log(2));
    }
}
