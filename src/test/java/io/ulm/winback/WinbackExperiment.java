package io.ulm.winback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ulm.simulation.GroundTruth;
import io.ulm.simulation.InMemoryTreatments;
import io.ulm.simulation.SimulatedMessage;
import io.ulm.simulation.SimulationSettings;
import io.ulm.simulation.Simulator;
import io.ulm.simulation.Treatment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One seeded win-back experiment, end to end, the way ULM would run it but without the service: simulate up to the
 * decision instant; flag at-risk users from the MESSAGES only (a customer with no activity for {@code inactiveFor});
 * ask the policy whether each may enter and where she falls; send the treatments (holdout included, recorded only)
 * through {@link InMemoryTreatments}; simulate to the end of the outcome window; count returns per arm from the
 * messages (any activity in [decision, decision + window)); compute the uplift report. The truth is read only
 * afterwards, to know the true effects.
 */
final class WinbackExperiment {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param armCounts     entered and returned per arm, holdout included, from the messages
     * @param naturalShare  π̂: the share of ALL entered users (every arm and the holdout) whose own behaviour brought
     *                      them back within the window (truth)
     * @param trueEffect    per treatment arm: e_arm · (1 − π̂), the effect on "returned within the window" in this
     *                      randomised population (docs/winback.md explains why)
     * @param consistent    every user's message-based return equals truth naturalReturn ∨ causedReturn
     */
    record Result(long seed, int flagged, Map<String, UpliftStats.Counts> armCounts, UpliftStats.Report report,
                  double naturalShare, long naturalReturns, Map<String, Double> trueEffect, boolean consistent) {
    }

    private final SimulationSettings base;
    private final WinbackPolicy policy;
    private final Duration decisionAfter;
    private final Duration inactiveFor;

    WinbackExperiment(SimulationSettings base, WinbackPolicy policy, Duration decisionAfter, Duration inactiveFor) {
        this.base = base;
        this.policy = policy;
        this.decisionAfter = decisionAfter;
        this.inactiveFor = inactiveFor;
    }

    Result run(long seed) {
        SimulationSettings settings = base.withSeed(seed);
        InMemoryTreatments treatments = new InMemoryTreatments();
        Simulator simulator = new Simulator(settings, treatments);
        Instant decision = settings.start().plus(decisionAfter);
        Map<String, Long> lastActivity = new HashMap<>();
        Map<String, Double> revenue = new HashMap<>();
        simulator.advanceTo(decision, m -> {
            if (!m.json().startsWith("{\"type\":\"identify\"")) {
                lastActivity.put(m.userId(), m.at().toEpochMilli());
            }
            if (m.json().contains("\"event\":\"Order Completed\"")) {
                revenue.merge(m.userId(), revenue(m), Double::sum);
            }
        });

        long inactiveSince = decision.minus(inactiveFor).toEpochMilli();
        Map<String, String> armOf = new LinkedHashMap<>();
        for (Map.Entry<String, Double> customer : revenue.entrySet()) {          // customers: at least one order
            if (lastActivity.get(customer.getKey()) > inactiveSince) {
                continue;
            }
            Facts facts = Facts.of(customer.getKey(), Trigger.AT_RISK, decision, customer.getValue(), Set.of());
            if (!policy.eligible(facts).eligible()) {
                continue;
            }
            String arm = policy.assign(customer.getKey()).arm();
            armOf.put(customer.getKey(), arm);
            treatments.add(new Treatment(customer.getKey(), decision, arm));     // holdout: recorded, no effect
        }

        Instant windowEnd = policy.windowEnd(decision);
        Set<String> returned = new HashSet<>();
        simulator.advanceTo(windowEnd, m -> {
            if (armOf.containsKey(m.userId()) && !m.at().isBefore(decision) && m.at().isBefore(windowEnd)) {
                returned.add(m.userId());
            }
        });

        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put(Assignment.HOLDOUT, new long[2]);
        policy.arms().forEach(a -> counts.put(a.id(), new long[2]));
        armOf.forEach((user, arm) -> {
            counts.get(arm)[0]++;
            counts.get(arm)[1] += returned.contains(user) ? 1 : 0;
        });
        Map<String, UpliftStats.Counts> armCounts = new LinkedHashMap<>();
        counts.forEach((arm, c) -> armCounts.put(arm, new UpliftStats.Counts(arm, c[0], c[1])));
        List<UpliftStats.Counts> treated = new ArrayList<>(armCounts.values()).subList(1, armCounts.size());
        UpliftStats.Report report = UpliftStats.compare(armCounts.get(Assignment.HOLDOUT), treated);

        // the truth, only now
        long natural = 0;
        boolean consistent = true;
        for (GroundTruth t : simulator.truth().filter(t -> t.arm() != null).toList()) {
            natural += t.naturalReturn() ? 1 : 0;
            consistent &= returned.contains(t.userId()) == (t.naturalReturn() || t.causedReturn())
                    && t.arm().equals(armOf.get(t.userId()));
        }
        double pi = armOf.isEmpty() ? 0 : natural / (double) armOf.size();
        Map<String, Double> trueEffect = new LinkedHashMap<>();
        for (Arm arm : policy.arms()) {
            trueEffect.put(arm.id(), settings.arm(arm.id()).extraReturnProbability() * (1 - pi));
        }
        consistent &= simulator.ignoredTreatments() == 0;
        return new Result(seed, armOf.size(), armCounts, report, pi, natural, trueEffect, consistent);
    }

    private static double revenue(SimulatedMessage m) {
        try {
            return JSON.readTree(m.json()).path("properties").path("revenue").asDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
