package io.ulm.model.churn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every metric against a hand computation (the arithmetic is in the comments). */
class ClassificationMetricsTest {

    private static final double EPS = 1e-12;
    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    private static final float[] LABELS = {1, 1, 0, 1, 0, 0};

    @Test
    void rocAucCountsOrderedPairs() {
        // positives 0.9, 0.8, 0.6 beat negatives 0.7, 0.5, 0.4 in 3 + 3 + 2 of 9 pairs
        assertEquals(8.0 / 9, ClassificationMetrics.rocAuc(SCORES, LABELS), EPS);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        assertEquals(0.5, ClassificationMetrics.rocAuc(new double[] {0.5, 0.5, 0.5, 0.5}, new float[] {1, 0, 1, 0}), EPS);
        // pairs: 0.8 beats both negatives (2), tied 0.5 vs 0.5 (0.5), 0.5 beats 0.2 (1): 3.5 / 4
        assertEquals(0.875, ClassificationMetrics.rocAuc(new double[] {0.8, 0.5, 0.5, 0.2}, new float[] {1, 1, 0, 0}), EPS);
    }

    @Test
    void averagePrecisionSumsPrecisionAtEachRecallStep() {
        // recall steps of 1/3 at ranks 1, 2, 4 with precision 1, 1, 3/4
        assertEquals(1.0 / 3 + 1.0 / 3 + 0.25, ClassificationMetrics.averagePrecision(SCORES, LABELS), EPS);
        // one tied block holding both positives: recall 1 at precision 2/4
        assertEquals(0.5, ClassificationMetrics.averagePrecision(new double[] {0.5, 0.5, 0.5, 0.5}, new float[] {1, 0, 1, 0}), EPS);
    }

    @Test
    void precisionRecallF1AtThreshold() {
        ClassificationMetrics.AtThreshold at = ClassificationMetrics.atThreshold(SCORES, LABELS, 0.6);
        assertEquals(0.75, at.precision(), EPS);   // 3 of the 4 scores ≥ 0.6 churned
        assertEquals(1.0, at.recall(), EPS);
        assertEquals(6.0 / 7, at.f1(), EPS);       // 2 · 0.75 · 1 / 1.75
    }

    @Test
    void bestF1ThresholdScansEveryScore() {
        // F1 at 0.4 … 0.9: 0.667, 0.75, 0.857, 0.667, 0.8, 0.5
        assertEquals(0.6, ClassificationMetrics.bestF1Threshold(SCORES, LABELS), EPS);
    }

    @Test
    void liftOfTheTopDecile() {
        // top ceil(0.6) = 1 score, churned: rate 1 over base rate 1/2
        assertEquals(2.0, ClassificationMetrics.liftTopDecile(SCORES, LABELS), EPS);
        // 20 users, 4 churned; top 2 = the 1.0 (churned) and one place in a tie block of 4 holding 2 churners
        double[] scores = new double[20];
        float[] labels = new float[20];
        scores[0] = 1.0;
        labels[0] = 1;
        for (int i = 1; i <= 4; i++) {
            scores[i] = 0.5;
            labels[i] = i <= 2 ? 1 : 0;
        }
        for (int i = 5; i < 20; i++) {
            scores[i] = 0.1;
        }
        labels[19] = 1;
        assertEquals((1.5 / 2) / (4.0 / 20), ClassificationMetrics.liftTopDecile(scores, labels), EPS);
    }

    @Test
    void brierIsTheMeanSquaredError() {
        // (0.01 + 0.04 + 0.49 + 0.16 + 0.25 + 0.16) / 6
        assertEquals(1.11 / 6, ClassificationMetrics.brier(SCORES, LABELS), EPS);
    }
}
