package io.ulm.winback;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What the policy needs to know about a candidate at the event time {@code at} of the trigger.
 *
 * @param clv                her customer lifetime value (the same currency as the policy's {@code minClv})
 * @param segments           the segment ids she is in ({@code rfm:at-risk}, {@code rule:…}, …)
 * @param unsubscribed       her trait {@code unsubscribed} is true
 * @param erased             her personal data has been erased (crypto-shredded)
 * @param activeWinback      a win-back of any campaign is running for her
 * @param lastWinbackEndedAt when her last win-back of any campaign ended (null: never)
 */
public record Facts(String userId, Trigger trigger, Instant at, double clv, Set<String> segments, boolean unsubscribed,
                   boolean erased, boolean activeWinback, Instant lastWinbackEndedAt) {

    public Facts {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(at, "at");
        segments = Set.copyOf(segments);
    }

    /** A first-time candidate: not unsubscribed, not erased, no win-back before. */
    public static Facts of(String userId, Trigger trigger, Instant at, double clv, Set<String> segments) {
        return new Facts(userId, trigger, at, clv, segments, false, false, false, null);
    }
}
