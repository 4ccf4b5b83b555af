package io.ulm.winback;

import io.ulm.winback.UpliftStats.Counts;
import io.ulm.winback.UpliftStats.Interval;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Against hand computations and the published values of Newcombe (1998), "Interval estimation for the difference
 * between independent proportions", Statistics in Medicine 17, Table II, method 10 (4 decimals).
 */
class UpliftStatsTest {

    static final double Z = 1.959963984540054;

    @Test
    void quantileIsTheUsualOne() {
        assertThat(UpliftStats.quantile(0.95)).isCloseTo(Z, within(1e-9));
    }

    @Test
    void wilsonByHand() {
        // 56/70: p = 0.8, centre = 0.8 + 3.8415/140 = 0.827439, half = 1.96·√(0.16/70 + 3.8415/19600) = 0.097607,
        // denominator 1 + 3.8415/70 = 1.054879 → [0.69183, 0.87695]
        Interval w = UpliftStats.wilson(56, 70, Z);
        assertThat(w.low()).isCloseTo(0.691834, within(1e-6));
        assertThat(w.high()).isCloseTo(0.876953, within(1e-6));
        // 0/10: [0, z²/(n + z²)] = [0, 3.8415/13.8415]
        assertThat(UpliftStats.wilson(0, 10, Z)).isEqualTo(new Interval(0, Z * Z / (10 + Z * Z)));
        assertThat(UpliftStats.wilson(10, 10, Z).high()).isEqualTo(1.0);
    }

    @Test
    void newcombeHybridScoreMatchesThePublishedTable() {
        check(56, 70, 48, 80, 0.0524, 0.3339);
        check(9, 10, 3, 10, 0.1705, 0.8090);
        check(6, 7, 2, 7, 0.0582, 0.8062);
        check(5, 56, 0, 29, -0.0381, 0.1926);
        check(0, 10, 0, 20, -0.1611, 0.2775);
        check(0, 10, 0, 10, -0.2775, 0.2775);
        check(10, 10, 0, 20, 0.6791, 1.0000);
        check(10, 10, 0, 10, 0.6075, 1.0000);
    }

    private static void check(long x1, long n1, long x2, long n2, double low, double high) {
        Interval ci = UpliftStats.newcombe(x1, n1, x2, n2, Z);
        assertThat(ci.low()).as("%d/%d − %d/%d low", x1, n1, x2, n2).isCloseTo(low, within(0.00005));
        assertThat(ci.high()).as("%d/%d − %d/%d high", x1, n1, x2, n2).isCloseTo(high, within(0.00005));
    }

    /**
     * Why Newcombe and not Wald with continuity correction: the exact coverage (every outcome (x1, x2) enumerated,
     * weighted by its binomial probability) at small return rates. Over a grid of 140 designs (docs/winback.md)
     * Newcombe's minimum was 0.947 and Wald-CC's 0.919, at this very design (100 vs 100 users, 2.49 % vs 0.5 %).
     */
    @Test
    void exactCoverageAtSmallRates() {
        assertThat(coverage(100, 0.0249, 100, 0.005, true)).isGreaterThan(0.95);
        assertThat(coverage(100, 0.0249, 100, 0.005, false)).isLessThan(0.925);      // Wald-CC under-covers
        assertThat(coverage(100, 0.05, 100, 0.02, true)).isBetween(0.95, 0.975);
        assertThat(coverage(100, 0.02, 100, 0.01, false)).isGreaterThan(0.995);     // …and is too wide elsewhere
    }

    private static double coverage(int n1, double p1, int n2, double p2, boolean newcombe) {
        var b1 = new org.apache.commons.math3.distribution.BinomialDistribution(null, n1, p1);
        var b2 = new org.apache.commons.math3.distribution.BinomialDistribution(null, n2, p2);
        double covered = 0;
        for (int x1 = 0; x1 <= n1; x1++) {
            for (int x2 = 0; x2 <= n2; x2++) {
                Interval ci = newcombe ? UpliftStats.newcombe(x1, n1, x2, n2, Z) : waldCc(x1, n1, x2, n2);
                covered += ci.contains(p1 - p2) ? b1.probability(x1) * b2.probability(x2) : 0;
            }
        }
        return covered;
    }

    /** d ± (z·√(p1(1−p1)/n1 + p2(1−p2)/n2) + (1/n1 + 1/n2)/2), clipped to [−1, 1]. */
    private static Interval waldCc(long x1, long n1, long x2, long n2) {
        double p1 = x1 / (double) n1;
        double p2 = x2 / (double) n2;
        double half = Z * Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) + 0.5 * (1.0 / n1 + 1.0 / n2);
        return new Interval(Math.max(-1, p1 - p2 - half), Math.min(1, p1 - p2 + half));
    }

    @Test
    void pooledZTestByHand() {
        // 56/70 vs 48/80: pooled 104/150 = 0.693333, se = √(0.693333·0.306667·(1/70 + 1/80)) = 0.0754672,
        // z = 0.2 / 0.0754672 = 2.650172, p = 2·(1 − Φ(2.650172)) = 0.008045
        assertThat(UpliftStats.zStatistic(56, 70, 48, 80)).isCloseTo(2.650172, within(1e-6));
        assertThat(UpliftStats.pValue(56, 70, 48, 80)).isCloseTo(0.008045, within(1e-6));
        // no returns anywhere: no evidence
        assertThat(UpliftStats.pValue(0, 100, 0, 50)).isEqualTo(1.0);
        assertThat(UpliftStats.pValue(0, 0, 3, 50)).isNaN();
    }

    @Test
    void holmStepDown() {
        // sorted 0.01, 0.02, 0.04, 0.30 → ×4, ×3, ×2, ×1 = 0.04, 0.06, 0.08, 0.30 (already monotone)
        assertThat(UpliftStats.holm(new double[]{0.04, 0.01, 0.30, 0.02}))
                .containsExactly(new double[]{0.08, 0.04, 0.30, 0.06}, within(1e-12));
        // monotonicity enforced: sorted 0.01, 0.011, 0.5 → 0.03, 0.022 → 0.03, 0.5
        assertThat(UpliftStats.holm(new double[]{0.5, 0.011, 0.01}))
                .containsExactly(new double[]{0.5, 0.03, 0.03}, within(1e-12));
        // capped at 1, NaN stays NaN and counts as 1 for the others
        assertThat(UpliftStats.holm(new double[]{0.6, Double.NaN, 0.02}))
                .containsExactly(new double[]{1.0, Double.NaN, 0.06}, within(1e-12));
    }

    @Test
    void reportPerArm() {
        Counts holdout = new Counts("holdout", 200, 12);            // 6 %
        UpliftStats.Report r = UpliftStats.compare(holdout, List.of(
                new Counts("discount", 300, 45),                    // 15 %: z = 3.13, p = 0.0018
                new Counts("placebo", 300, 18)));                   // 6 %: nothing
        UpliftStats.ArmUplift discount = r.arm("discount");
        assertThat(discount.difference()).isCloseTo(0.09, within(1e-12));
        assertThat(discount.relativeLift()).isCloseTo(1.5, within(1e-12));
        assertThat(discount.ci().low()).isGreaterThan(0);
        assertThat(discount.ci().contains(0.09)).isTrue();
        // pooled 57/500 = 0.114, se = √(0.114·0.886·(1/300 + 1/200)) = 0.029014, z = 0.09/0.029014 = 3.10196
        assertThat(discount.z()).isCloseTo(0.09 / Math.sqrt(0.114 * 0.886 * (1 / 300.0 + 1 / 200.0)), within(1e-9));
        assertThat(discount.pHolm()).isCloseTo(Math.min(1, 2 * discount.pValue()), within(1e-12));
        assertThat(discount.significant()).isTrue();
        assertThat(discount.significantHolm()).isTrue();
        UpliftStats.ArmUplift placebo = r.arm("placebo");
        assertThat(placebo.difference()).isCloseTo(0, within(1e-12));
        assertThat(placebo.pValue()).isCloseTo(1.0, within(1e-12));
        assertThat(placebo.ci().contains(0)).isTrue();
        assertThat(placebo.significant()).isFalse();
        // a holdout without returns: no relative lift
        assertThat(UpliftStats.compare(new Counts("holdout", 50, 0), List.of(new Counts("a", 50, 2))).arms().get(0)
                .relativeLift()).isNaN();
    }
}
