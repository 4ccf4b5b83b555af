package io.ulm.simulation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Win-back responses: every user acquired by day 40 is assigned (Assignment: 20 % holdout, the rest over three arms)
 * and treated at day 40 through the TreatmentSource while the simulation runs. Checked against the truth: the share
 * of caused returns per arm is its configured effect (within 4 binomial standard errors), the holdout and the zero
 * arm cause nothing, caused returns fall in the window, and her natural behaviour is byte-identical to an untreated
 * run (common random numbers: "caused" means exactly the extra visit).
 */
class TreatmentResponseTest {

    static final SimulationSettings SETTINGS = SimulationSettings.defaults().withScale(20_000, 70, 60).withSeed(11);
    static final Instant TREATED_AT = SETTINGS.start().plus(Duration.ofDays(40));
    static final double STANDARD_ERRORS = 4;

    @Test
    void armsCauseTheirTrueEffectAndNothingElse() {
        InMemoryTreatments source = new InMemoryTreatments();
        Simulator simulator = new Simulator(SETTINGS, source);
        List<String> natural = new ArrayList<>();
        List<SimulatedMessage> caused = new ArrayList<>();
        simulator.advanceTo(TREATED_AT, m -> natural.add(m.json()));
        simulator.truth().forEach(t -> source.add(new Treatment(t.userId(), TREATED_AT, Assignment.arm(SETTINGS, t.index()))));
        simulator.run(m -> {
            if (m.messageId().contains("-r")) {
                caused.add(m);
            } else {
                natural.add(m.json());
            }
        });
        List<String> untreated = new ArrayList<>();
        new Simulator(SETTINGS).run(m -> untreated.add(m.json()));
        assertThat(natural).as("natural behaviour unchanged by treatments").isEqualTo(untreated);

        Map<String, List<GroundTruth>> byArm = simulator.truth().filter(t -> t.arm() != null)
                .collect(Collectors.groupingBy(GroundTruth::arm));
        for (SimulationSettings.Arm arm : SETTINGS.winback().arms()) {
            List<GroundTruth> users = byArm.get(arm.name());
            double share = users.stream().filter(GroundTruth::causedReturn).count() / (double) users.size();
            double se = Math.sqrt(Math.max(arm.extraReturnProbability() * (1 - arm.extraReturnProbability()), 1e-9) / users.size());
            System.out.printf("arm %-9s n %5d  caused returns %.4f  true effect %.2f%n", arm.name(), users.size(), share,
                    arm.extraReturnProbability());
            assertThat(share).as(arm.name()).isCloseTo(arm.extraReturnProbability(), within(STANDARD_ERRORS * se));
            assertThat(users).allMatch(GroundTruth::treated);
        }
        List<GroundTruth> holdout = byArm.get(Treatment.HOLDOUT);
        assertThat(holdout.size() / (double) simulator.truth().filter(t -> t.arm() != null).count())
                .isCloseTo(SETTINGS.winback().holdoutShare(), within(0.01));
        assertThat(holdout).noneMatch(GroundTruth::causedReturn).noneMatch(GroundTruth::treated);

        Instant windowEnd = TREATED_AT.plus(SETTINGS.winback().returnWindow());
        assertThat(caused).isNotEmpty().allSatisfy(m -> assertThat(m.at()).isBetween(TREATED_AT, windowEnd));
        assertThat(caused.stream().map(SimulatedMessage::userId).distinct().count())
                .isEqualTo(simulator.truth().filter(GroundTruth::causedReturn).count());
    }
}
