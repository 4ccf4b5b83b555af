package io.ulm.winback;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;

/**
 * Who may enter, beyond the trigger.
 *
 * @param minClv               her CLV must be at least this (null: no minimum)
 * @param anyOfSegments        she must be in one of these (empty: no condition)
 * @param noneOfSegments       she must be in none of these
 * @param suppressUnsubscribed trait {@code unsubscribed} = true keeps her out (default true)
 * @param cooldown             no new win-back until this long after her last one ended (frequency cap; one running
 *                             win-back per user, across campaigns, is always the rule; the cooldown counts from her last one of any campaign)
 */
public record Eligibility(BigDecimal minClv, Set<String> anyOfSegments, Set<String> noneOfSegments,
                          boolean suppressUnsubscribed, Duration cooldown) {

    /** The default cooldown when the file gives none. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofDays(90);

    public Eligibility {
        anyOfSegments = Set.copyOf(anyOfSegments);
        noneOfSegments = Set.copyOf(noneOfSegments);
    }
}
