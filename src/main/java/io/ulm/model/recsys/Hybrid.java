package io.ulm.model.recsys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A weighted blend of other recommenders' scores, each min-max normalised to [0, 1] per user (over all items) so
 * that scales as different as popularity counts and cosines become comparable. Weights come from
 * {@link #tune}: a grid search on the simplex that maximises NDCG@K on the validation items, never the test ones.
 */
public final class Hybrid implements Recommender {

    /**
     * @param step grid step of the weights, which sum to 1 (0.2: 56 blends for four models, tuning in seconds)
     * @param k    cut-off of the tuning metric, NDCG@k (10, the list length served)
     */
    public record Settings(double step, int k) {

        public static final Settings DEFAULTS = new Settings(0.2, 10);

        public Settings {
            if (!(step > 0 && step <= 1) || Math.abs(1 / step - Math.round(1 / step)) > 1e-9 || k < 1) {
                throw new IllegalArgumentException("step must divide 1 and k be positive: " + step + ", " + k);
            }
        }
    }

    /** A tuned hybrid and the validation NDCG@k it reached. */
    public record Tuned(Hybrid hybrid, double validationNdcg) {
    }

    /** The name in reports when none is given. */
    public static final String NAME = "Hybrid";

    private final String name;
    private final List<Recommender> components;
    private final double[] weights;

    private Hybrid(String name, List<Recommender> components, double[] weights) {
        this.name = name;
        this.components = List.copyOf(components);
        this.weights = weights.clone();
    }

    /** A blend with given weights, e.g. the tuned ones over components refitted on more data. */
    public static Hybrid of(List<Recommender> components, double[] weights) {
        return of(NAME, components, weights);
    }

    /** The same, named in reports (e.g. "Hybrid (ALS+SASRec)" beside the other hybrid). */
    public static Hybrid of(String name, List<Recommender> components, double[] weights) {
        if (components.size() != weights.length || components.isEmpty()) {
            throw new IllegalArgumentException("one weight per component expected");
        }
        return new Hybrid(name, components, weights);
    }

    /**
     * Tries every weight vector of the grid and keeps the best validation NDCG@k (first in grid order on ties, so
     * the result is deterministic). The grid contains each single model (weight 1), so the blend is never worse on
     * validation than the best component. Users are scored in parallel, summed in user order.
     */
    public static Tuned tune(List<Recommender> components, InteractionMatrix seen, List<HeldOut> validation,
                             Settings settings) {
        List<double[]> grid = simplexGrid(components.size(), (int) Math.round(1 / settings.step()));
        Map<Integer, Set<Integer>> relevant = validation.stream().collect(Collectors.groupingBy(HeldOut::user,
                java.util.TreeMap::new, Collectors.mapping(HeldOut::item, Collectors.toSet())));
        List<Integer> users = new ArrayList<>(relevant.keySet());
        double[][] perUser = users.parallelStream().map(user -> {
            double[][] normalised = normalised(components, user);
            return grid.stream().mapToDouble(w -> RankingMetrics.ndcg(TopK.select(blend(normalised, w),
                    settings.k(), item -> seen.contains(user, item)).stream().map(ScoredItem::item).toList(),
                    relevant.get(user), settings.k())).toArray();
        }).toArray(double[][]::new);
        int best = 0;
        double[] totals = new double[grid.size()];
        for (int g = 0; g < grid.size(); g++) {
            for (double[] user : perUser) {
                totals[g] += user[g];
            }
            best = totals[g] > totals[best] ? g : best;
        }
        return new Tuned(new Hybrid(NAME, components, grid.get(best)), totals[best] / Math.max(1, users.size()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] scores(int user) {
        return blend(normalised(components, user), weights);
    }

    public double[] weights() {
        return weights.clone();
    }

    public List<Recommender> components() {
        return components;
    }

    /**
     * Σ w_c · normalised_c; components with weight 0 are skipped, so a single model's ranking is kept exactly. Public
     * for serving, which blends the ONNX graphs' scores the same way (io.ulm.recommend.ScoreBlend).
     */
    public static double[] blend(double[][] normalised, double[] weights) {
        double[] blended = new double[normalised[0].length];
        for (int c = 0; c < weights.length; c++) {
            if (weights[c] != 0) {
                for (int item = 0; item < blended.length; item++) {
                    blended[item] += weights[c] * normalised[c][item];
                }
            }
        }
        return blended;
    }

    /**
     * One component's share of a blend laid on a larger index: adds {@code weight · minMax(scores)[i]} to {@code
     * blended[at[i]]} for every i. Called for each component in order on a zeroed array, it gives {@link #blend} of
     * {@link #minMax} bit for bit (same operations in the same order; an index no component adds to stays 0, the
     * normalised minimum) without the intermediate arrays. For serving, which blends by item id
     * (io.ulm.recommend.ScoreBlend).
     */
    public static void addNormalised(float[] scores, int[] at, double weight, double[] blended) {
        if (weight == 0 || scores.length == 0) {
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        double range = max - min;
        for (int i = 0; i < scores.length; i++) {
            blended[at[i]] += weight * (range > 0 ? (scores[i] - min) / range : 0);
        }
    }

    private static double[][] normalised(List<Recommender> components, int user) {
        return components.stream().map(c -> minMax(c.scores(user))).toArray(double[][]::new);
    }

    /** (s − min) / (max − min); a constant score vector becomes all zeros (it carries no ranking). */
    public static double[] minMax(double[] scores) {
        double min = Arrays.stream(scores).min().orElse(0);
        double range = Arrays.stream(scores).max().orElse(0) - min;
        return Arrays.stream(scores).map(s -> range > 0 ? (s - min) / range : 0).toArray();
    }

    /** All weight vectors with entries in multiples of 1/steps summing to 1, in lexicographic order. */
    static List<double[]> simplexGrid(int components, int steps) {
        List<double[]> grid = new ArrayList<>();
        fill(new int[components], 0, steps, steps, grid);
        return grid;
    }

    private static void fill(int[] parts, int at, int left, int steps, List<double[]> grid) {
        if (at == parts.length - 1) {
            parts[at] = left;
            grid.add(IntStream.of(parts).mapToDouble(p -> (double) p / steps).toArray());
            return;
        }
        for (int p = left; p >= 0; p--) {
            parts[at] = p;
            fill(parts, at + 1, left - p, steps, grid);
        }
    }
}
