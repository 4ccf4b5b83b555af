package io.ulm.model.churn;

import java.time.Duration;
import java.time.Instant;

/** The leakage guard: model inputs at a cutoff T may only be computed from activities strictly before T. */
final class CutoffGuard {

    static final double SECONDS_PER_DAY = 86_400.0;

    private CutoffGuard() {
    }

    /** Throws if any activity at or after {@code cutoff} reached code that must only see the past. */
    static void requirePast(UserHistory history, Instant cutoff) {
        for (Activity a : history.activities()) {
            if (!a.at().isBefore(cutoff)) {
                throw new IllegalStateException("activity at " + a.at() + " of user " + history.userId()
                        + " is not before the cutoff " + cutoff + ": post-cutoff data reached the feature code");
            }
        }
    }

    /** (to − from) in days, fractional. */
    static double days(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.getSeconds() / SECONDS_PER_DAY + d.getNano() / 1e9 / SECONDS_PER_DAY;
    }
}
