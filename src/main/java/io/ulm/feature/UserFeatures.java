package io.ulm.feature;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A user's behavioural features evaluated at one instant ({@code asOf}): what models and segments read.
 * Each field's formula and unit is in docs/features.md. Durations are in days (decimal, 4 places), money in
 * the currency of the events (not converted), counts are whole numbers; a null means "undefined" (no purchase
 * yet has no purchase recency, fewer than two purchases no inter-purchase time). {@code categoryHalfLife} is an
 * ISO-8601 duration as Java prints it (P30D is PT720H).
 */
public record UserFeatures(String userId, Instant asOf, String basis,
                           Instant acquiredAt, Double tenureDays,
                           long activities, long sessions, Instant firstActivityAt, Instant lastActivityAt, Double recencyDays,
                           long purchases, Instant firstPurchaseAt, Instant lastPurchaseAt, Double purchaseRecencyDays,
                           Double meanInterPurchaseDays,
                           long refunds, BigDecimal revenue, BigDecimal refunded, BigDecimal netRevenue, BigDecimal averageOrderValue,
                           long activityLast4Weeks, long activityPrevious4Weeks, double activityTrend,
                           String categoryHalfLife, List<CategoryWeight> categoryInterests) {

    /** Features read from the projection, at the watermark. */
    public static final String WATERMARK = "watermark";
    /** Features rebuilt from the event log at a requested instant. */
    public static final String AS_OF = "asOf";

    /** A category's decayed interest weight at {@code asOf}, and its share of all her (non-excluded) category weight. */
    public record CategoryWeight(String category, double weight, double share) {
    }
}
