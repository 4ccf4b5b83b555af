package io.ulm.winback;

import java.time.Duration;
import java.util.Objects;

/** One step of an arm, in order: an action (reminder, offer) or a wait in event time. */
public sealed interface Step permits Step.Reminder, Step.Offer, Step.Wait {

    /** A reminder message carrying her {@code items} top recommendations. */
    record Reminder(int items) implements Step {
    }

    /**
     * An offer whose value tier is chosen for her by {@link WinbackPolicy#tier} at the time of the step, or the tier
     * {@code pinnedTier} when the arm names one (null: by the policy's tiers).
     */
    record Offer(String pinnedTier) implements Step {
    }

    /** Wait this long in event time (the saga's deadline) before the next step, or before the outcome. */
    record Wait(Duration duration) implements Step {
        public Wait {
            Objects.requireNonNull(duration, "duration");
        }
    }
}
