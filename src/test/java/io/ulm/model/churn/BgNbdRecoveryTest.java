package io.ulm.model.churn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameter recovery on seeded simulations from the published CDNOW estimates (in weeks: r = 0.24, α = 4.41,
 * a = 0.79, b = 2.43; Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44). Tolerance ±25 % relative per parameter: the
 * paper's standard errors on 2,357 CDNOW customers are about 5 % (r), 9 % (α), 23 % (a), 29 % (b) of the estimate;
 * with N = 20,000 they shrink by √(2357/N) ≈ 0.34 to at most ~10 %, so 25 % is about 2.5 standard errors for the
 * weakest parameter, tight enough to catch a wrong likelihood (those miss by factors), loose enough not to flap.
 */
class BgNbdRecoveryTest {

    static final int CUSTOMERS = 20_000;
    static final double TOLERANCE = 0.25;
    static final BgNbd.Params TRUE_BG = new BgNbd.Params(0.24, 4.41, 0.79, 2.43);
    static final GammaGamma.Params TRUE_GG = new GammaGamma.Params(6.25, 3.74, 15.44);
    /** CDNOW's calibration: first purchases spread over 12 weeks, observed until week 39. */
    static final double MIN_T = 27;
    static final double MAX_T = 39;

    @Test
    void bgNbdRecoversTheParameters() {
        long start = System.nanoTime();
        List<RepeatPurchases> customers = simulateBgNbd(new Well19937c(2005));
        BgNbd.Params fitted = BgNbd.fit(customers).params();
        double llFit = BgNbd.logLikelihood(fitted, customers);
        double llTrue = BgNbd.logLikelihood(TRUE_BG, customers);
        System.out.printf("BG/NBD true %s (log-lik %.3f)%n       fit  %s (log-lik %.3f; %.1f s, N = %d)%n", TRUE_BG,
                llTrue, fitted, llFit, (System.nanoTime() - start) / 1e9, CUSTOMERS);
        assertTrue(llFit >= llTrue, "the maximum likelihood is at least the truth's");
        assertClose(TRUE_BG.r(), fitted.r(), "r");
        assertClose(TRUE_BG.alpha(), fitted.alpha(), "alpha");
        assertClose(TRUE_BG.a(), fitted.a(), "a");
        assertClose(TRUE_BG.b(), fitted.b(), "b");
    }

    @Test
    void gammaGammaRecoversTheParameters() {
        List<RepeatPurchases> customers = simulateSpend(new Well19937c(2006));
        GammaGamma.Params fitted = GammaGamma.fit(customers).params();
        double llFit = GammaGamma.logLikelihood(fitted, customers);
        double llTrue = GammaGamma.logLikelihood(TRUE_GG, customers);
        System.out.printf("Gamma-Gamma true %s (log-lik %.3f)%n            fit  %s (log-lik %.3f)%n", TRUE_GG, llTrue, fitted, llFit);
        assertTrue(llFit >= llTrue, "the maximum likelihood is at least the truth's");
        assertClose(TRUE_GG.p(), fitted.p(), "p");
        assertClose(TRUE_GG.q(), fitted.q(), "q");
        assertClose(TRUE_GG.gamma(), fitted.gamma(), "gamma");
    }

    @Test
    void pAliveAndExpectedPurchasesBehave() {
        BgNbd model = new BgNbd(TRUE_BG);
        assertEquals(1.0, model.pAlive(new RepeatPurchases(0, 0, 39, Double.NaN)));
        double previous = 1;
        for (double t = 31; t <= 39; t++) {            // the longer since her last purchase, the less alive
            double alive = model.pAlive(new RepeatPurchases(3, 30, t, Double.NaN));
            assertTrue(alive < previous && alive > 0);
            previous = alive;
        }
        previous = 0;
        for (int x = 1; x <= 10; x++) {                 // more purchases, recent last: more expected purchases
            double expected = model.expectedPurchases(39, new RepeatPurchases(x, 38, 39, Double.NaN));
            assertTrue(expected > previous);
            previous = expected;
        }
        RepeatPurchases c = new RepeatPurchases(2, 20, 39, Double.NaN);
        assertTrue(model.expectedPurchases(52, c) > model.expectedPurchases(26, c));
        assertTrue(model.pNoPurchase(52, c) < model.pNoPurchase(26, c));
        assertTrue(model.pNoPurchase(26, c) > 1 - model.pAlive(c));
    }

    @Test
    void spendShrinksTowardsThePopulationAndClvGrowsWithHorizon() {
        GammaGamma spend = new GammaGamma(TRUE_GG);
        double population = TRUE_GG.p() * TRUE_GG.gamma() / (TRUE_GG.q() - 1);
        double few = spend.expectedAverageOrderValue(new RepeatPurchases(1, 10, 39, 100));
        double many = spend.expectedAverageOrderValue(new RepeatPurchases(20, 38, 39, 100));
        assertTrue(population < few && few < many && many < 100);
        BgNbd purchases = new BgNbd(TRUE_BG);
        RepeatPurchases c = new RepeatPurchases(5, 35, 39, 50);
        double year = spend.clv(purchases, c, new GammaGamma.ClvSettings(52, 4, 0.01));
        double twoYears = spend.clv(purchases, c, new GammaGamma.ClvSettings(104, 4, 0.01));
        double undiscounted = spend.clv(purchases, c, new GammaGamma.ClvSettings(52, 4, 0));
        assertTrue(0 < year && year < twoYears && year < undiscounted);
        assertEquals(spend.expectedAverageOrderValue(c) * purchases.expectedPurchases(52, c), undiscounted, 1e-9);
    }

    /** Per customer λ ~ Gamma(r, 1/α), p ~ Beta(a, b); Poisson purchases from time 0, dropout after each repeat. */
    static List<RepeatPurchases> simulateBgNbd(RandomGenerator rng) {
        GammaDistribution lambdas = new GammaDistribution(rng, TRUE_BG.r(), 1 / TRUE_BG.alpha());
        BetaDistribution dropouts = new BetaDistribution(rng, TRUE_BG.a(), TRUE_BG.b());
        List<RepeatPurchases> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            double lambda = lambdas.sample();
            double p = dropouts.sample();
            double t = MIN_T + rng.nextDouble() * (MAX_T - MIN_T);
            int x = 0;
            double tx = 0;
            double now = 0;
            while (true) {
                now += -Math.log(1 - rng.nextDouble()) / lambda;
                if (now > t) {
                    break;
                }
                x++;
                tx = now;
                if (rng.nextDouble() < p) {
                    break;
                }
            }
            customers.add(new RepeatPurchases(x, tx, t, Double.NaN));
        }
        return customers;
    }

    /** ν ~ Gamma(q, 1/γ) per customer, x uniform in 1..10 transactions of Gamma(p, 1/ν) each. */
    static List<RepeatPurchases> simulateSpend(RandomGenerator rng) {
        GammaDistribution rates = new GammaDistribution(rng, TRUE_GG.q(), 1 / TRUE_GG.gamma());
        List<RepeatPurchases> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            double nu = rates.sample();
            GammaDistribution values = new GammaDistribution(rng, TRUE_GG.p(), 1 / nu);
            int x = 1 + rng.nextInt(10);
            double sum = 0;
            for (int k = 0; k < x; k++) {
                sum += values.sample();
            }
            customers.add(new RepeatPurchases(x, 0, 0, sum / x));
        }
        return customers;
    }

    private static void assertClose(double expected, double actual, String name) {
        assertEquals(expected, actual, TOLERANCE * expected, name + ": fitted " + actual + ", true " + expected);
    }
}
