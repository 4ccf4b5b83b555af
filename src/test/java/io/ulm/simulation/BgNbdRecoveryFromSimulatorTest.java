package io.ulm.simulation;

import io.ulm.model.churn.BgNbd;
import io.ulm.model.churn.GammaGamma;
import io.ulm.model.churn.RepeatPurchases;
import io.ulm.model.churn.UserHistory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * BG/NBD and Gamma-Gamma fitted on the simulator's Order Completed messages (read back from JSON) recover the
 * generating parameters. The design is CDNOW's (Fader, Hardie &amp; Lee 2005): first purchases spread over 12 weeks,
 * observed to week 39, with the paper's estimates as the truth (α converted to days: 4.41 weeks = 30.87 days).
 * <p>
 * Tolerance ±25 % relative: the paper's standard errors on 2,357 customers are about 5 % (r), 9 % (α), 23 % (a),
 * 29 % (b) of the estimates; here ~19,000 customers shrink them by √(2357/19000) ≈ 0.35 to at most ~10 %, so 25 % is
 * ~2.5 standard errors for the weakest parameter: a wrong generator or likelihood misses by far more, noise does not
 * flap. Orders on one UTC day count as one transaction (as RepeatPurchases reads them): a small bias, well inside.
 */
class BgNbdRecoveryFromSimulatorTest {

    static final BgNbd.Params CDNOW = new BgNbd.Params(0.24, 4.41 * 7, 0.79, 2.43);
    static final double TOLERANCE = 0.25;
    /**
     * Gamma-Gamma's p and γ are weakly identified apart (only ~8,000 customers have repeat purchases, most one or two),
     * so the test checks their identified combination, the population mean order value, within 5 % (its standard
     * error here is ~1-2 %); the three parameters are printed.
     */
    static final double SPEND_TOLERANCE = 0.05;
    /** ≈ 19,000 activated customers at the default activation probabilities (≈ 0.43). */
    static final int USERS = 45_000;
    static final int ACQUISITION_DAYS = 12 * 7;
    static final int DAYS = 39 * 7;

    @Test
    void fittedParametersMatchTheGeneratingOnes() {
        long started = System.nanoTime();
        SimulationSettings settings = SimulationSettings.defaults().withScale(USERS, DAYS, ACQUISITION_DAYS)
                .withPurchases(CDNOW).withSessions(0, 1).withSeed(2005);
        Simulator simulator = new Simulator(settings);
        List<UserHistory> histories = SimulatedHistories.of(simulator, true).histories();
        List<RepeatPurchases> customers = histories.stream().filter(h -> !h.activities().isEmpty())
                .map(h -> RepeatPurchases.of(h, settings.end())).toList();
        double simulated = (System.nanoTime() - started) / 1e9;
        BgNbd.Params fitted = BgNbd.fit(customers).params();
        GammaGamma.Params spend = GammaGamma.fit(customers).params();
        System.out.printf("BG/NBD from the simulator (%d customers, simulated in %.1f s, total %.1f s)%n",
                customers.size(), simulated, (System.nanoTime() - started) / 1e9);
        row("r", CDNOW.r(), fitted.r());
        row("alpha (days)", CDNOW.alpha(), fitted.alpha());
        row("a", CDNOW.a(), fitted.a());
        row("b", CDNOW.b(), fitted.b());
        row("GG p", settings.spend().p(), spend.p());
        row("GG q", settings.spend().q(), spend.q());
        row("GG gamma", settings.spend().gamma(), spend.gamma());
        row("GG mean order", meanOrderValue(settings.spend()), meanOrderValue(spend));
        assertThat(customers.size()).isGreaterThan(17_000);
        assertClose("r", CDNOW.r(), fitted.r());
        assertClose("alpha", CDNOW.alpha(), fitted.alpha());
        assertClose("a", CDNOW.a(), fitted.a());
        assertClose("b", CDNOW.b(), fitted.b());
        assertThat(meanOrderValue(spend)).as("Gamma-Gamma population mean order value")
                .isCloseTo(meanOrderValue(settings.spend()), within(SPEND_TOLERANCE * meanOrderValue(settings.spend())));
    }

    /** E[order value] = p·γ / (q − 1): what Gamma-Gamma pins down well (p and γ trade off along a ridge). */
    private static double meanOrderValue(GammaGamma.Params g) {
        return g.p() * g.gamma() / (g.q() - 1);
    }

    private static void row(String name, double truth, double fitted) {
        System.out.printf("  %-14s true %8.3f  fitted %8.3f  (%+.1f %%)%n", name, truth, fitted, 100 * (fitted / truth - 1));
    }

    private static void assertClose(String name, double truth, double fitted) {
        assertThat(fitted).as(name).isCloseTo(truth, within(TOLERANCE * truth));
    }
}
