package io.ulm.model.churn;

import java.util.List;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"): while alive a customer
 * buys at Poisson rate λ ~ Gamma(r, α); after each repeat purchase she drops out with probability p ~ Beta(a, b).
 * Fitted by maximum likelihood of (x, t_x, T) per customer (eq. 6 of the paper). Time is in whatever unit the
 * inputs use ({@link RepeatPurchases}: days), and α carries that unit.
 */
public final class BgNbd {

    /** Fitted parameters: purchase rate shape r and scale α, dropout Beta(a, b). */
    public record Params(double r, double alpha, double a, double b) {
    }

    /** Start of the search (all 1: the likelihood is smooth in log-parameters and the optimiser restarts). */
    static final double[] START = {1, 1, 1, 1};

    private final Params params;

    public BgNbd(Params params) {
        this.params = params;
    }

    public static BgNbd fit(List<RepeatPurchases> customers) {
        return fit(customers, LogMaximizer.Settings.DEFAULTS);
    }

    static BgNbd fit(List<RepeatPurchases> customers, LogMaximizer.Settings settings) {
        double[] p = LogMaximizer.maximize(v -> logLikelihood(new Params(v[0], v[1], v[2], v[3]), customers), START, settings);
        return new BgNbd(new Params(p[0], p[1], p[2], p[3]));
    }

    public Params params() {
        return params;
    }

    /** Σ of eq. 6 in logs: ln[A1·A2·(A3 + δ(x>0)·A4)], combined with log-sum-exp for stability. */
    public static double logLikelihood(Params m, List<RepeatPurchases> customers) {
        double sum = 0;
        double betaAB = logGamma(m.a()) + logGamma(m.b()) - logGamma(m.a() + m.b());
        for (RepeatPurchases c : customers) {
            int x = c.x();
            double common = logGamma(m.r() + x) - logGamma(m.r()) + m.r() * Math.log(m.alpha());
            double aliveBeta = logGamma(m.a()) + logGamma(m.b() + x) - logGamma(m.a() + m.b() + x) - betaAB;
            double alive = aliveBeta - (m.r() + x) * Math.log(m.alpha() + c.t());
            if (x == 0) {
                sum += common + alive;
                continue;
            }
            double droppedBeta = logGamma(m.a() + 1) + logGamma(m.b() + x - 1) - logGamma(m.a() + m.b() + x) - betaAB;
            double dropped = droppedBeta - (m.r() + x) * Math.log(m.alpha() + c.tx());
            double max = Math.max(alive, dropped);
            sum += common + max + Math.log(Math.exp(alive - max) + Math.exp(dropped - max));
        }
        return sum;
    }

    /** P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a / (b + x − 1) · ((α + T) / (α + t_x))^(r + x)). */
    public double pAlive(RepeatPurchases c) {
        return 1 / (1 + dropoutOdds(c));
    }

    private double dropoutOdds(RepeatPurchases c) {
        if (c.x() == 0) {
            return 0;
        }
        Params m = params;
        return m.a() / (m.b() + c.x() - 1) * Math.pow((m.alpha() + c.t()) / (m.alpha() + c.tx()), m.r() + c.x());
    }

    /**
     * P(no purchase in the next t | x, t_x, T) = 1 − P(alive) + P(alive) · ((α + T) / (α + T + t))^(r + x): dead, or
     * alive with λ ~ Gamma(r + x, α + T) (her posterior given alive) and no Poisson event in t. Unlike 1 − P(alive)
     * it is not 0 for customers without repeat purchases (BG/NBD holds them alive for sure).
     */
    public double pNoPurchase(double t, RepeatPurchases c) {
        double alive = pAlive(c);
        Params m = params;
        return 1 - alive + alive * Math.pow((m.alpha() + c.t()) / (m.alpha() + c.t() + t), m.r() + c.x());
    }

    /**
     * E[Y(t) | x, t_x, T], the expected purchases in the next t (eq. 10):
     * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] / (1 + dropout odds).
     */
    public double expectedPurchases(double t, RepeatPurchases c) {
        if (t <= 0) {
            return 0;
        }
        Params m = params;
        int x = c.x();
        double z = t / (m.alpha() + c.t() + t);
        double hyper = Hypergeometric.f21(m.r() + x, m.b() + x, m.a() + m.b() + x - 1, z);
        double ratio = Math.pow((m.alpha() + c.t()) / (m.alpha() + c.t() + t), m.r() + x);
        return (m.a() + m.b() + x - 1) / (m.a() - 1) * (1 - ratio * hyper) / (1 + dropoutOdds(c));
    }
}
