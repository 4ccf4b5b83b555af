package io.ulm.winback;

import io.ulm.simulation.SimulationSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's win-back validation: over 50 seeded simulations, the 95 % uplift interval of each arm against the
 * holdout covers the TRUE effect in at least 90 % of the runs, and the zero-effect arm is reported significant
 * (unadjusted two-proportion z-test, the stricter of the two flags) in at most 10 % of them.
 * Each run: 4,000 users acquired over 60 days, decision at day 60, at-risk = a customer (≥ 1 order) with no
 * activity in the last 14 days (from the messages, never the truth), the policy below assigns (25 % holdout, three
 * arms of equal weight with true effects 0.10, 0.05 and 0), returns counted from the messages within the 14-day
 * outcome window (see {@link WinbackExperiment}). docs/winback.md has the table and the reasoning.
 */
class UpliftCoverageTest {

    static final int RUNS = 50;
    static final long FIRST_SEED = 1_000;
    static final double MIN_COVERAGE = 0.90;
    static final double MAX_FALSE_POSITIVES = 0.10;

    static final String POLICY = """
            campaign: coverage
            trigger: AT_RISK
            eligibility: { minClv: 0 }
            holdout: 0.25
            arms:
              - id: strong
                steps: [ { reminder: { items: 5 } }, { wait: P3D }, { offer: {} }, { wait: P7D } ]
              - id: weak
                steps: [ { reminder: { items: 5 } }, { wait: P10D } ]
              - id: zero
                steps: [ { reminder: { items: 5 } }, { wait: P10D } ]
            tiers: [ { id: standard, discount: 0.1 } ]
            outcome: { window: P14D }
            """;

    static final SimulationSettings SETTINGS = SimulationSettings.defaults().withScale(4_000, 74, 60)
            .withWinback(new SimulationSettings.WinbackSettings(List.of(new SimulationSettings.Arm("strong", 0.10),
                    new SimulationSettings.Arm("weak", 0.05), new SimulationSettings.Arm("zero", 0.0)), 0.25,
                    Duration.ofDays(14), 0.5, Duration.ofDays(1)));

    @Test
    void intervalsCoverTheTrueEffectAndTheZeroArmIsRarelySignificant() {
        WinbackPolicy policy = WinbackPolicy.parse("UpliftCoverageTest.POLICY", POLICY);
        WinbackExperiment experiment = new WinbackExperiment(SETTINGS, policy, Duration.ofDays(60), Duration.ofDays(14));
        long started = System.nanoTime();
        List<WinbackExperiment.Result> results = new ArrayList<>();
        System.out.println("seed  flagged  π̂     holdout   | strong: n ret diff [95% CI] true | weak … | zero …");
        for (int i = 0; i < RUNS; i++) {
            WinbackExperiment.Result r = experiment.run(FIRST_SEED + i);
            results.add(r);
            StringBuilder line = new StringBuilder(String.format("%5d %6d  %.3f  %4d/%-4d", r.seed(), r.flagged(),
                    r.naturalShare(), r.report().holdout().returned(), r.report().holdout().n()));
            for (UpliftStats.ArmUplift a : r.report().arms()) {
                double truth = r.trueEffect().get(a.arm());
                line.append(String.format(" | %3d/%-3d %+.3f [%+.3f, %+.3f] %.3f%s%s", a.treated().returned(),
                        a.treated().n(), a.difference(), a.ci().low(), a.ci().high(), truth,
                        a.ci().contains(truth) ? " " : "✗", a.significant() ? "*" : " "));
            }
            System.out.println(line);
            assertThat(r.consistent()).as("seed %d: message-based returns and assignments agree with the truth", r.seed())
                    .isTrue();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // the superpopulation target: π pooled over all runs' entrants (natural behaviour does not depend on treatment)
        double pooledPi = results.stream().mapToLong(WinbackExperiment.Result::naturalReturns).sum()
                / (double) results.stream().mapToLong(WinbackExperiment.Result::flagged).sum();
        System.out.printf("%n%d runs in %.1f s; mean entrants %.0f; pooled natural-return share π = %.4f%n", RUNS, seconds,
                results.stream().mapToInt(WinbackExperiment.Result::flagged).average().orElse(0), pooledPi);
        System.out.printf("holdout return rate over the runs %.4f (its expectation is π: the holdout is untreated)%n",
                results.stream().mapToDouble(r -> r.report().holdout().rate()).average().orElse(0));
        System.out.println("| arm | e (true) | true uplift e(1−π) | mean estimate | mean CI width | coverage (run π̂) "
                + "| coverage (pooled π) | significant | significant (Holm) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Arm arm : policy.arms()) {
            double e = SETTINGS.arm(arm.id()).extraReturnProbability();
            int covered = 0;
            int coveredPooled = 0;
            int significant = 0;
            int significantHolm = 0;
            double estimate = 0;
            double width = 0;
            for (WinbackExperiment.Result r : results) {
                UpliftStats.ArmUplift a = r.report().arm(arm.id());
                covered += a.ci().contains(r.trueEffect().get(arm.id())) ? 1 : 0;
                coveredPooled += a.ci().contains(e * (1 - pooledPi)) ? 1 : 0;
                significant += a.significant() ? 1 : 0;
                significantHolm += a.significantHolm() ? 1 : 0;
                estimate += a.difference() / RUNS;
                width += (a.ci().high() - a.ci().low()) / RUNS;
            }
            System.out.printf("| %s | %.2f | %.4f | %+.4f | %.4f | %d/%d = %.0f %% | %d/%d = %.0f %% | %d/%d | %d/%d |%n",
                    arm.id(), e, e * (1 - pooledPi), estimate, width, covered, RUNS, 100.0 * covered / RUNS,
                    coveredPooled, RUNS, 100.0 * coveredPooled / RUNS, significant, RUNS, significantHolm, RUNS);
            assertThat(covered / (double) RUNS).as("coverage of arm %s (true effect per run)", arm.id())
                    .isGreaterThanOrEqualTo(MIN_COVERAGE);
            assertThat(coveredPooled / (double) RUNS).as("coverage of arm %s (pooled π)", arm.id())
                    .isGreaterThanOrEqualTo(MIN_COVERAGE);
            if (e == 0) {
                assertThat(significant / (double) RUNS).as("zero-effect arm %s reported significant", arm.id())
                        .isLessThanOrEqualTo(MAX_FALSE_POSITIVES);
            }
        }
    }
}
