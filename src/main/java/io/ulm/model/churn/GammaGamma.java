package io.ulm.model.churn;

import java.util.List;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005b, "RFM and CLV: using iso-value curves"): each
 * transaction value is Gamma(p, ν), ν ~ Gamma(q, γ) across customers, independent of the purchase process. Fitted by
 * maximum likelihood on customers with repeat purchases (x &gt; 0) and their mean repeat spend m_x.
 */
public final class GammaGamma {

    /** Fitted parameters: shape p, and the Gamma(q, γ) of the customers' rates ν. */
    public record Params(double p, double q, double gamma) {
    }

    /**
     * CLV discounting: the horizon is cut into steps (default 30 days over 365 days), each step's expected purchases
     * are valued at the expected order value and discounted by (1 + rate)^k (default 1 % a step, ≈ 12.7 % a year).
     */
    public record ClvSettings(double horizonDays, double stepDays, double discountPerStep) {
        public static final ClvSettings DEFAULTS = new ClvSettings(365, 30, 0.01);
    }

    /** Start of the search: the order of magnitude of the published estimates (p≈6, q≈4, γ≈15), scale-free. */
    static final double[] START = {1, 2, 1};

    private final Params params;

    public GammaGamma(Params params) {
        this.params = params;
    }

    public static GammaGamma fit(List<RepeatPurchases> customers) {
        List<RepeatPurchases> spenders = customers.stream().filter(c -> c.x() > 0 && c.meanRepeatSpend() > 0).toList();
        double[] v = LogMaximizer.maximize(p -> logLikelihood(new Params(p[0], p[1], p[2]), spenders), START,
                LogMaximizer.Settings.DEFAULTS);
        return new GammaGamma(new Params(v[0], v[1], v[2]));
    }

    public Params params() {
        return params;
    }

    /**
     * Σ ln L with L = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · m^(px−1) · x^(px) / (γ + m x)^(px+q), the density of the mean
     * m of x transactions (eq. 3 of the paper, written for the mean rather than the sum).
     */
    public static double logLikelihood(Params m, List<RepeatPurchases> spenders) {
        double sum = 0;
        for (RepeatPurchases c : spenders) {
            double px = m.p() * c.x();
            double mean = c.meanRepeatSpend();
            sum += logGamma(px + m.q()) - logGamma(px) - logGamma(m.q()) + m.q() * Math.log(m.gamma())
                    + (px - 1) * Math.log(mean) + px * Math.log(c.x()) - (px + m.q()) * Math.log(m.gamma() + mean * c.x());
        }
        return sum;
    }

    /**
     * E[M | x, m_x] = (γ + m_x x) p / (p x + q − 1): a weighted mean of the population mean p γ / (q − 1) and her own
     * m_x, leaning on her own the more purchases she has. Without repeat purchases, the population mean.
     */
    public double expectedAverageOrderValue(RepeatPurchases c) {
        Params m = params;
        if (c.x() == 0 || !(c.meanRepeatSpend() > 0)) {
            return m.p() * m.gamma() / (m.q() - 1);
        }
        return (m.gamma() + c.meanRepeatSpend() * c.x()) * m.p() / (m.p() * c.x() + m.q() - 1);
    }

    /**
     * CLV over the horizon: Σ_k E[M] · (E[Y(t_k)] − E[Y(t_{k−1})]) / (1 + d)^k with t_k = min(k · step, horizon),
     * E[Y] the BG/NBD conditional expectation in the same time unit as the BG/NBD fit (days), d the rate per step.
     */
    public double clv(BgNbd purchases, RepeatPurchases c, ClvSettings settings) {
        double orderValue = expectedAverageOrderValue(c);
        double value = 0;
        double previous = 0;
        int steps = (int) Math.ceil(settings.horizonDays() / settings.stepDays());
        for (int k = 1; k <= steps; k++) {
            double expected = purchases.expectedPurchases(Math.min(k * settings.stepDays(), settings.horizonDays()), c);
            value += orderValue * (expected - previous) / Math.pow(1 + settings.discountPerStep(), k);
            previous = expected;
        }
        return value;
    }
}
