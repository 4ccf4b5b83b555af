package io.ulm.simulation;

import java.time.Instant;
import java.util.Objects;

/**
 * A win-back action for a user at an event time on an arm (a name from the settings' arms), or {@link #HOLDOUT}:
 * the user was picked and deliberately not treated (recorded in the truth, no effect).
 */
public record Treatment(String userId, Instant at, String arm) {

    public static final String HOLDOUT = "holdout";

    public Treatment {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(arm, "arm");
    }

    public boolean holdout() {
        return HOLDOUT.equals(arm);
    }
}
