package io.ulm.simulation;

import io.ulm.winback.Arm;
import io.ulm.winback.WinbackPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's win-back truth for a live service: one simulated arm per arm of the live campaigns (same name, so an
 * outbox treatment on arm {@code reminder-then-offer} has the effect configured for it), the caused return falling
 * within the longest outcome window, so that ULM's results can see it.
 */
public final class DemoTreatments {

    private DemoTreatments() {
    }

    /**
     * @param effect  the TRUE extra return probability of an arm without its own entry in {@code effects}
     * @param effects per arm id
     */
    public static SimulationSettings.WinbackSettings settings(List<WinbackPolicy> live, double effect, Map<String, Double> effects,
                                                              SimulationSettings.WinbackSettings defaults) {
        Set<String> arms = new LinkedHashSet<>();
        Duration window = Duration.ZERO;
        for (WinbackPolicy p : live) {
            p.arms().stream().map(Arm::id).forEach(arms::add);
            window = p.outcomeWindow().compareTo(window) > 0 ? p.outcomeWindow() : window;
        }
        List<SimulationSettings.Arm> simulated = new ArrayList<>();
        arms.forEach(a -> simulated.add(new SimulationSettings.Arm(a, effects.getOrDefault(a, effect))));
        if (simulated.isEmpty()) {
            return defaults;
        }
        return new SimulationSettings.WinbackSettings(simulated, defaults.holdoutShare(), window,
                defaults.returnPurchaseProbability(), defaults.pollEvery());
    }
}
