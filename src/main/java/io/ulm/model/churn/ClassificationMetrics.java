package io.ulm.model.churn;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Binary classification metrics for churn scores (higher score = more likely to churn; labels 1 = churned).
 * Tied scores are always treated as one block (never broken by input order), so a constant score gets AUC 0.5 and
 * the metrics do not depend on the row order.
 */
public final class ClassificationMetrics {

    /** Share of the highest scores the lift is measured on (the top decile). */
    public static final double TOP_SHARE = 0.10;

    /** Everything reported for one model on one data set; brier is NaN for scores that are not probabilities. */
    public record Report(double rocAuc, double averagePrecision, AtThreshold atThreshold, double liftTopDecile,
                         double brier) {
    }

    /** Predictions "churn" for score ≥ threshold. */
    public record AtThreshold(double threshold, double precision, double recall, double f1) {
    }

    private ClassificationMetrics() {
    }

    public static Report report(double[] scores, float[] labels, double threshold, boolean probabilities) {
        return new Report(rocAuc(scores, labels), averagePrecision(scores, labels),
                atThreshold(scores, labels, threshold), liftTopDecile(scores, labels),
                probabilities ? brier(scores, labels) : Double.NaN);
    }

    /** ROC-AUC as the Mann-Whitney statistic over average ranks (ties count one half). */
    public static double rocAuc(double[] scores, float[] labels) {
        double[] ranks = averageRanks(scores);
        double positives = 0;
        double rankSum = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == 1f) {
                positives++;
                rankSum += ranks[i];
            }
        }
        double negatives = scores.length - positives;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /** Average precision: Σ over distinct thresholds (descending) of (recall gain) × precision at that threshold. */
    public static double averagePrecision(double[] scores, float[] labels) {
        Integer[] order = descending(scores);
        double positives = positives(labels);
        double truePositives = 0;
        double ap = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            double gained = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                gained += labels[order[j]];
                j++;
            }
            truePositives += gained;
            ap += (gained / positives) * (truePositives / j);
            i = j;
        }
        return ap;
    }

    public static AtThreshold atThreshold(double[] scores, float[] labels, double threshold) {
        double tp = 0;
        double predicted = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= threshold) {
                predicted++;
                tp += labels[i];
            }
        }
        double precision = predicted == 0 ? 0 : tp / predicted;
        double recall = tp / positives(labels);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new AtThreshold(threshold, precision, recall, f1);
    }

    /** The score threshold (one of the scores) with the highest F1; the lowest such threshold on ties. */
    public static double bestF1Threshold(double[] scores, float[] labels) {
        double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
        double best = candidates[0];
        double bestF1 = -1;
        for (double candidate : candidates) {
            double f1 = atThreshold(scores, labels, candidate).f1();
            if (f1 > bestF1) {
                bestF1 = f1;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Churn rate among the top {@link #TOP_SHARE} scores divided by the overall churn rate. Scores tied at the
     * decile boundary contribute their block's average churn rate for the places left.
     */
    public static double liftTopDecile(double[] scores, float[] labels) {
        int k = (int) Math.ceil(scores.length * TOP_SHARE);
        Integer[] order = descending(scores);
        double hits = 0;
        int taken = 0;
        int i = 0;
        while (taken < k) {
            int j = i;
            double blockPositives = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                blockPositives += labels[order[j]];
                j++;
            }
            int places = Math.min(j - i, k - taken);
            hits += blockPositives * places / (j - i);
            taken += places;
            i = j;
        }
        return (hits / k) / (positives(labels) / labels.length);
    }

    /** Mean squared error of predicted churn probabilities. */
    public static double brier(double[] probabilities, float[] labels) {
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double d = probabilities[i] - labels[i];
            sum += d * d;
        }
        return sum / probabilities.length;
    }

    /** 1-based ranks in ascending score order, tied scores get the mean of their ranks. */
    static double[] averageRanks(double[] scores) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double[] ranks = new double[scores.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                ranks[order[k]] = rank;
            }
            i = j;
        }
        return ranks;
    }

    private static Integer[] descending(double[] scores) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return order;
    }

    private static double positives(float[] labels) {
        double sum = 0;
        for (float v : labels) {
            sum += v;
        }
        return sum;
    }
}
