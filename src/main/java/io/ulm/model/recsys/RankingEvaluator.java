package io.ulm.model.recsys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Scores a recommender on held-out items: each evaluated user gets her top-K list with the items she has seen in
 * {@code seen} (the matrix the model was fitted on) excluded, and the list is compared with her held-out items.
 */
public final class RankingEvaluator {

    private RankingEvaluator() {
    }

    /** One {@link MetricSet} per cut-off, in the order given. */
    public static List<MetricSet> evaluate(Recommender model, InteractionMatrix seen, List<HeldOut> heldOut, int... ks) {
        Map<Integer, Set<Integer>> relevant = heldOut.stream().collect(Collectors.groupingBy(HeldOut::user,
                TreeMap::new, Collectors.mapping(HeldOut::item, Collectors.toSet())));
        int maxK = Arrays.stream(ks).max().orElseThrow(() -> new IllegalArgumentException("no cut-off"));
        Map<Integer, List<Integer>> lists = recommendations(model, seen, relevant.keySet(), maxK);
        List<MetricSet> results = new ArrayList<>(ks.length);
        for (int k : ks) {
            results.add(metrics(model.name(), k, seen, relevant, lists));
        }
        return results;
    }

    /** Every user's top-k, seen items excluded; users in parallel (each list is independent, so still deterministic). */
    public static Map<Integer, List<Integer>> recommendations(Recommender model, InteractionMatrix seen,
                                                              Set<Integer> users, int k) {
        return users.parallelStream().collect(Collectors.toMap(user -> user,
                user -> model.recommend(user, k, item -> seen.contains(user, item)).stream()
                        .map(ScoredItem::item).toList()));
    }

    private static MetricSet metrics(String name, int k, InteractionMatrix seen, Map<Integer, Set<Integer>> relevant,
                                     Map<Integer, List<Integer>> lists) {
        double hr = 0;
        double recall = 0;
        double ndcg = 0;
        double map = 0;
        for (var user : relevant.entrySet()) {
            List<Integer> ranked = lists.get(user.getKey());
            hr += RankingMetrics.hitRate(ranked, user.getValue(), k);
            recall += RankingMetrics.recall(ranked, user.getValue(), k);
            ndcg += RankingMetrics.ndcg(ranked, user.getValue(), k);
            map += RankingMetrics.averagePrecision(ranked, user.getValue(), k);
        }
        int n = Math.max(1, relevant.size());
        return new MetricSet(name, k, relevant.size(), hr / n, recall / n, ndcg / n, map / n,
                RankingMetrics.coverage(lists.values(), k, seen.numItems()),
                RankingMetrics.novelty(lists.values(), k, seen));
    }
}
