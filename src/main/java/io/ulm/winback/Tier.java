package io.ulm.winback;

import java.math.BigDecimal;
import java.util.Set;

/**
 * An offer value tier: the first tier (in file order) whose conditions hold is hers. {@code minClv} null and
 * {@code segments} empty: no condition (the last tier must be such a default).
 *
 * @param discount  the offer's value, a fraction of the order (0.15 = 15 %)
 * @param minClv    her CLV must be at least this (null: any)
 * @param segments  she must be in at least one of these segments (empty: any)
 */
public record Tier(String id, BigDecimal discount, BigDecimal minClv, Set<String> segments) {

    public Tier {
        segments = Set.copyOf(segments);
    }

    public boolean unconditional() {
        return minClv == null && segments.isEmpty();
    }

    boolean matches(double clv, Set<String> memberOf) {
        return (minClv == null || clv >= minClv.doubleValue())
                && (segments.isEmpty() || segments.stream().anyMatch(memberOf::contains));
    }
}
