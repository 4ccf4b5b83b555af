package io.ulm.recommend;

import io.ulm.model.recsys.Hybrid;
import io.ulm.model.recsys.ScoredItem;
import io.ulm.model.recsys.TopK;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The served hybrid (docs/sequential.md "Serving and policy"): several models' raw scores of all their items, each
 * min-max normalised and summed with weights exactly as {@link Hybrid} does offline (its helper {@link
 * Hybrid#addNormalised}, bit for bit {@code blend(minMax)}, not a copy), but by item id, since served models may know
 * different items. An item one model does not know counts 0 from it (its
 * normalised minimum). Pure: the scores come from the ONNX graphs, asked with an empty seen-mask (the mask is a
 * penalty that would move the minimum). Public for the benchmark (SequentialRecommendBench).
 */
public final class ScoreBlend {

    /** One blended item, best first in {@link #top}. */
    public record Blended(String itemId, double score) {
    }

    private ScoreBlend() {
    }

    /**
     * Where each model's items sit in the union of their ids (the first model's items in its order, then the items only
     * later models know). It depends on the models only, not on the user: compute it once per set of models.
     *
     * @param union     the union of the models' item ids
     * @param positions per model, the union index of each of its items
     */
    public record Alignment(List<String> union, List<int[]> positions) {

        /** @param items per model its item ids, in its index order */
        public static Alignment of(List<List<String>> items) {
            List<String> union = new ArrayList<>(items.get(0).size());
            Map<String, Integer> at = new HashMap<>(items.get(0).size() * 2);
            List<int[]> positions = new ArrayList<>(items.size());
            for (List<String> ids : items) {
                int[] position = new int[ids.size()];
                for (int i = 0; i < position.length; i++) {
                    position[i] = at.computeIfAbsent(ids.get(i), id -> {
                        union.add(id);
                        return union.size() - 1;
                    });
                }
                positions.add(position);
            }
            return new Alignment(List.copyOf(union), List.copyOf(positions));
        }
    }

    /** {@link #top(Alignment, List, double[], Predicate, int)} over the alignment of {@code items} (per model its item ids). */
    public static List<Blended> top(List<List<String>> items, List<float[]> scores, double[] weights, Predicate<String> drop, int k) {
        return top(Alignment.of(items), scores, weights, drop, k);
    }

    /**
     * The best {@code k} items of the blend, never a dropped one (seen, excluded); ties: the lower union index first,
     * as {@link TopK} does.
     *
     * @param aligned the models' items in their union
     * @param scores  per model its score of every item, by its index
     * @param weights per model its weight
     */
    public static List<Blended> top(Alignment aligned, List<float[]> scores, double[] weights, Predicate<String> drop, int k) {
        if (aligned.positions().size() != scores.size() || scores.size() != weights.length) {
            throw new IllegalArgumentException("one item list, score vector and weight per model expected");
        }
        List<String> union = aligned.union();
        double[] blended = new double[union.size()];
        for (int m = 0; m < scores.size(); m++) {
            if (scores.get(m).length != aligned.positions().get(m).length) {
                throw new IllegalArgumentException("model " + m + " scores " + scores.get(m).length + " items, its id list holds "
                        + aligned.positions().get(m).length);
            }
            Hybrid.addNormalised(scores.get(m), aligned.positions().get(m), weights[m], blended);
        }
        return TopK.select(blended, k, i -> drop.test(union.get(i))).stream()
                .map((ScoredItem s) -> new Blended(union.get(s.item()), s.score())).toList();
    }
}
