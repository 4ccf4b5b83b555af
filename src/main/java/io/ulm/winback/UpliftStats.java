package io.ulm.winback;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Uplift of each arm's return rate over the holdout's (docs/winback.md, "Statistics"):
 * <ul>
 *   <li>the difference of the two rates with a two-sided confidence interval by <b>Newcombe's hybrid score</b>
 *       method (Newcombe 1998, method 10: the Wilson score intervals of the two rates combined). Win-back return
 *       rates are small (a few %) and groups a few hundred users: there the Wald interval, even with a continuity
 *       correction, is centred on the wrong point and collapses when a group has 0 returns, while Newcombe's
 *       interval keeps close to nominal coverage and stays inside [−1, 1];</li>
 *   <li>the relative lift (difference / holdout rate; NaN when the holdout rate is 0);</li>
 *   <li>the two-sided p-value of the pooled two-proportion z-test, unadjusted and <b>Holm-adjusted</b> over the
 *       arms of the campaign (each arm is one test against the same holdout: Holm controls the family-wise error
 *       rate at α for any dependence between the tests and is uniformly more powerful than Bonferroni).</li>
 * </ul>
 * {@code significant} = unadjusted p &lt; α, {@code significantHolm} = Holm-adjusted p &lt; α; a campaign report
 * with several arms should act on the latter. The confidence interval is the unadjusted (per-arm) one.
 */
public final class UpliftStats {

    /** Default confidence level of the intervals and significance level 1 − 0.95 of the tests. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private UpliftStats() {
    }

    /** A group: users entered ({@code n}) and users who returned within the outcome window. */
    public record Counts(String arm, long n, long returned) {
        public Counts {
            Objects.requireNonNull(arm, "arm");
            if (n < 0 || returned < 0 || returned > n) {
                throw new IllegalArgumentException("need 0 ≤ returned ≤ n, got " + returned + " of " + n + " for " + arm);
            }
        }

        /** The return rate, NaN for an empty group. */
        public double rate() {
            return n == 0 ? Double.NaN : returned / (double) n;
        }
    }

    /** A closed interval [low, high]; NaN bounds when it cannot be computed (an empty group). */
    public record Interval(double low, double high) {
        public boolean contains(double x) {
            return low <= x && x <= high;
        }

        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /**
     * One arm against the holdout.
     *
     * @param difference   treated rate − holdout rate (the uplift, absolute)
     * @param ci           its Newcombe hybrid score interval at the report's confidence
     * @param relativeLift difference / holdout rate (NaN when the holdout rate is 0)
     * @param z            the pooled two-proportion z statistic (0 when nobody or everybody returned)
     * @param pValue       two-sided, unadjusted
     * @param pHolm        Holm-adjusted over the report's arms
     */
    public record ArmUplift(Counts treated, Counts holdout, double difference, Interval ci, double relativeLift,
                            double z, double pValue, double pHolm, boolean significant, boolean significantHolm) {
        public String arm() {
            return treated.arm();
        }
    }

    /** Every arm of a campaign against its holdout, in the order given. */
    public record Report(double confidence, Counts holdout, List<ArmUplift> arms) {
        public ArmUplift arm(String name) {
            return arms.stream().filter(a -> a.arm().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no arm " + name));
        }
    }

    public static Report compare(Counts holdout, List<Counts> arms) {
        return compare(holdout, arms, DEFAULT_CONFIDENCE);
    }

    /** Compares each arm with the holdout at {@code confidence} (e.g. 0.95: 95 % intervals, α = 0.05). */
    public static Report compare(Counts holdout, List<Counts> arms, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        double alpha = 1 - confidence;
        double z = quantile(confidence);
        double[] p = arms.stream().mapToDouble(a -> pValue(a.returned(), a.n(), holdout.returned(), holdout.n())).toArray();
        double[] holm = holm(p);
        List<ArmUplift> out = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            Counts a = arms.get(i);
            double d = a.rate() - holdout.rate();
            double lift = holdout.rate() > 0 ? d / holdout.rate() : Double.NaN;
            out.add(new ArmUplift(a, holdout, d, newcombe(a.returned(), a.n(), holdout.returned(), holdout.n(), z),
                    lift, zStatistic(a.returned(), a.n(), holdout.returned(), holdout.n()), p[i], holm[i],
                    p[i] < alpha, holm[i] < alpha));
        }
        return new Report(confidence, holdout, List.copyOf(out));
    }

    /** The two-sided standard normal quantile for {@code confidence}: 1.959964 for 0.95. */
    public static double quantile(double confidence) {
        return NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    /**
     * Wilson's score interval for x of n at the two-sided normal quantile z:
     * (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
     */
    public static Interval wilson(long x, long n, double z) {
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double p = x / (double) n;
        double z2 = z * z;
        double centre = p + z2 / (2.0 * n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        double denominator = 1 + z2 / n;
        // exact at the boundaries (rounding would leave 1e-17 below 0 or above 1)
        double low = x == 0 ? 0 : (centre - half) / denominator;
        double high = x == n ? 1 : (centre + half) / denominator;
        return new Interval(low, high);
    }

    /**
     * Newcombe's hybrid score interval for p1 − p2 (x1 of n1 against x2 of n2), with (l_i, u_i) the Wilson
     * intervals: [d − √((p1 − l1)² + (u2 − p2)²), d + √((u1 − p1)² + (p2 − l2)²)], d = p1 − p2.
     */
    public static Interval newcombe(long x1, long n1, long x2, long n2, double z) {
        if (n1 == 0 || n2 == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double p1 = x1 / (double) n1;
        double p2 = x2 / (double) n2;
        Interval w1 = wilson(x1, n1, z);
        Interval w2 = wilson(x2, n2, z);
        double d = p1 - p2;
        double low = d - Math.sqrt(sq(p1 - w1.low()) + sq(w2.high() - p2));
        double high = d + Math.sqrt(sq(w1.high() - p1) + sq(p2 - w2.low()));
        return new Interval(low, high);
    }

    /**
     * The pooled z statistic (p1 − p2) / √(p̄(1 − p̄)(1/n1 + 1/n2)), p̄ = (x1 + x2)/(n1 + n2); 0 when p̄ is 0 or 1
     * (no variation: no evidence either way), NaN for an empty group.
     */
    public static double zStatistic(long x1, long n1, long x2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return Double.NaN;
        }
        double pooled = (x1 + x2) / (double) (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0 : (x1 / (double) n1 - x2 / (double) n2) / se;
    }

    /** Two-sided p-value 2·(1 − Φ(|z|)) of the pooled two-proportion z-test; NaN for an empty group. */
    public static double pValue(long x1, long n1, long x2, long n2) {
        double z = zStatistic(x1, n1, x2, n2);
        return Double.isNaN(z) ? Double.NaN : Math.min(1, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /**
     * Holm's step-down adjustment: sort the m p-values ascending, p_(k) becomes max over j ≤ k of
     * min(1, (m − j + 1)·p_(j)); returned in the input order. A NaN p-value (no test) counts as 1.
     */
    public static double[] holm(double[] p) {
        int m = p.length;
        double[] clean = Arrays.stream(p).map(v -> Double.isNaN(v) ? 1 : v).toArray();
        Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> clean[i])).toArray(Integer[]::new);
        double[] adjusted = new double[m];
        double running = 0;
        for (int k = 0; k < m; k++) {
            running = Math.max(running, Math.min(1, (m - k) * clean[order[k]]));
            adjusted[order[k]] = running;
        }
        for (int i = 0; i < m; i++) {
            if (Double.isNaN(p[i])) {
                adjusted[i] = Double.NaN;
            }
        }
        return adjusted;
    }

    private static double sq(double x) {
        return x * x;
    }
}
