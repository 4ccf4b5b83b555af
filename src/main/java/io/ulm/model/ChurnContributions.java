package io.ulm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which inputs drive a user's churn score, by occlusion: each feature in turn is set to the population's median
 * (the training reference at T2) and the user is scored again; the drop in score is that feature's contribution.
 * Model-agnostic (any graph meeting the churn contract) and exact for what the served graph computes; features
 * interact, so contributions need not add up to the score.
 */
public final class ChurnContributions {

    /** One feature's part: her value, the population's median, and how much her value adds to the score. */
    public record Contribution(String feature, Double value, Double median, double contribution) {
    }

    private ChurnContributions() {
    }

    /** The rows to score: the user's, then one per feature with that feature at the median. */
    static float[][] occlusions(float[] x, double[] medians) {
        float[][] rows = new float[x.length + 1][];
        rows[0] = x;
        for (int j = 0; j < x.length; j++) {
            rows[j + 1] = x.clone();
            rows[j + 1][j] = (float) medians[j];
        }
        return rows;
    }

    /** Contributions from the scores of {@link #occlusions}, largest first, the {@code top} most important. */
    static List<Contribution> rank(List<String> names, float[] x, double[] medians, double[] scores, int top) {
        List<Contribution> all = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            all.add(new Contribution(names.get(j), finite(x[j]), finite(medians[j]), scores[0] - scores[j + 1]));
        }
        all.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())).thenComparing(Contribution::feature));
        return List.copyOf(all.subList(0, Math.min(top, all.size())));
    }

    /** Per-column medians ignoring missing (NaN) values; NaN for a column without any value. */
    public static double[] medians(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        double[] medians = new double[columns];
        for (int j = 0; j < columns; j++) {
            final int col = j;
            double[] values = Arrays.stream(rows).mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            medians[j] = values.length == 0 ? Double.NaN
                    : values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        }
        return medians;
    }

    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
