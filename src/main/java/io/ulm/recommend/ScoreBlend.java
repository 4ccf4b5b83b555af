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
 * min-max normalised and summed with weights exactly as {@link Hybrid} does offline (its helpers, not a copy), but by
 * item id, since served models may know different items. An item one model does not know counts 0 from it (its
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
     * The best {@code k} items of the blend, never a dropped one (seen, excluded); ties: the lower union index first
     * (the first model's item order, then the items only later models know), as {@link TopK} does.
     *
     * @param items   per model its item ids, in its index order
     * @param scores  per model its score of every item, by its index
     * @param weights per model its weight
     */
    public static List<Blended> top(List<List<String>> items, List<float[]> scores, double[] weights, Predicate<String> drop, int k) {
        if (items.size() != scores.size() || items.size() != weights.length) {
            throw new IllegalArgumentException("one item list, score vector and weight per model expected");
        }
        List<String> union = new ArrayList<>(items.get(0).size());
        Map<String, Integer> at = new HashMap<>(items.get(0).size() * 2);
        items.forEach(ids -> ids.forEach(id -> at.computeIfAbsent(id, unused -> {
            union.add(id);
            return union.size() - 1;
        })));
        double[][] normalised = new double[items.size()][];
        for (int m = 0; m < items.size(); m++) {
            normalised[m] = onUnion(items.get(m), Hybrid.minMax(widen(scores.get(m))), at, union.size());
        }
        double[] blended = Hybrid.blend(normalised, weights);
        return TopK.select(blended, k, i -> drop.test(union.get(i))).stream()
                .map((ScoredItem s) -> new Blended(union.get(s.item()), s.score())).toList();
    }

    private static double[] onUnion(List<String> ids, double[] normalised, Map<String, Integer> at, int size) {
        double[] row = new double[size];
        for (int i = 0; i < ids.size(); i++) {
            row[at.get(ids.get(i))] = normalised[i];
        }
        return row;
    }

    private static double[] widen(float[] scores) {
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = scores[i];
        }
        return d;
    }
}
