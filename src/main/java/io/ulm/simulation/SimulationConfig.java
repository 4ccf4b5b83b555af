package io.ulm.simulation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/** The simulator inside the service ({@code ulm.simulation.*}; environment {@code ULM_SIMULATION_*}); docs/simulation.md. */
@ConfigMapping(prefix = "ulm.simulation")
public interface SimulationConfig {

    Demo demo();

    /**
     * Demo mode: at start, a simulated shop's history up to now is streamed through the ingestion path at
     * {@code rate} messages a second, and both models are trained from it, so a newcomer sees a living system.
     */
    interface Demo {
        /** Messages per second; 0 (the default) switches the demo off. {@code ULM_SIMULATION_DEMO_RATE=1000} turns it on. */
        @WithDefault("0")
        int rate();

        @WithDefault("1000")
        int users();

        /** Days of simulated history ending now (the churn model needs two horizons, 180 days by default). */
        @WithDefault("240")
        int days();

        @WithDefault("42")
        long seed();

        /**
         * The TRUE effect of a win-back treatment in the demo: the extra probability that a simulated user who got a
         * reminder or offer from a live campaign comes back within its window (holdout users get nothing).
         */
        @WithDefault("0.10")
        double winbackEffect();

        /** Per arm id of the live campaigns, overriding {@link #winbackEffect()}. */
        Map<String, Double> winbackEffects();
    }
}
