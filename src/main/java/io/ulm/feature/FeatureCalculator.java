package io.ulm.feature;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns stored feature inputs into {@link UserFeatures} at an instant T: durations relative to T, the activity
 * trend over the UTC days up to T's, and category interests decayed to T through the items' categories. Pure:
 * the live read and the as-of rebuild both end here.
 */
final class FeatureCalculator {

    /** Days in each window of the activity trend (4 weeks). */
    static final int TREND_DAYS = 28;
    private static final double DAY_SECONDS = 86_400;

    /** What the calculator reads: the fold's state, activity per day, decayed interest per item and the items' categories. */
    record Inputs(FeatureState state, Map<LocalDate, Long> days, Map<String, Decay.Point> items, Map<String, List<String>> categories) {
    }

    private FeatureCalculator() {
    }

    static UserFeatures compute(String userId, Inputs in, Instant at, String basis, FeatureSettings settings, int top) {
        FeatureState s = in.state();
        LocalDate today = at.atZone(ZoneOffset.UTC).toLocalDate();
        long recent = sum(in.days(), today.minusDays(TREND_DAYS - 1), today);
        long previous = sum(in.days(), today.minusDays(2L * TREND_DAYS - 1), today.minusDays(TREND_DAYS));
        BigDecimal net = s.revenue.subtract(s.refunded);
        BigDecimal average = s.purchases == 0 ? null : s.revenue.divide(BigDecimal.valueOf(s.purchases), 4, RoundingMode.HALF_UP);
        Double interPurchase = s.purchases < 2 ? null
                : days(Duration.between(s.firstPurchaseAt, s.lastPurchaseAt).dividedBy(s.purchases - 1));
        return new UserFeatures(userId, at, basis, s.acquiredAt, since(s.acquiredAt, at),
                s.activities, s.sessions, s.firstActivityAt, s.lastActivityAt, since(s.lastActivityAt, at),
                s.purchases, s.firstPurchaseAt, s.lastPurchaseAt, since(s.lastPurchaseAt, at), interPurchase,
                s.refunds, s.revenue, s.refunded, net, average,
                recent, previous, trend(recent, previous),
                settings.halfLife().toString(), interests(in, at, settings, top));
    }

    /** (recent - previous) / (recent + previous): -1 = stopped, 0 = steady (or no activity in either window), 1 = new. */
    static double trend(long recent, long previous) {
        return recent + previous == 0 ? 0 : round((double) (recent - previous) / (recent + previous));
    }

    /**
     * weight_c(T) = sum over her items i in category c of the item's decayed weight at T; the categories are the
     * catalogue's current ones; excluded categories (fees) and items without categories add nothing. Sorted by
     * weight, then name; the first {@code top} are returned, shares are of the total over all categories.
     */
    static List<UserFeatures.CategoryWeight> interests(Inputs in, Instant at, FeatureSettings settings, int top) {
        Map<String, Double> weights = new TreeMap<>();
        for (Map.Entry<String, Decay.Point> item : new TreeMap<>(in.items()).entrySet()) {
            double value = Decay.valueAt(item.getValue(), at, settings.halfLife());
            for (String category : in.categories().getOrDefault(item.getKey(), List.of())) {
                if (value != 0 && !settings.excludedCategories().contains(category)) {
                    weights.merge(category, value, Double::sum);
                }
            }
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        List<UserFeatures.CategoryWeight> ranked = new ArrayList<>();
        weights.forEach((c, w) -> ranked.add(new UserFeatures.CategoryWeight(c, w, total == 0 ? 0 : round(w / total))));
        ranked.sort(Comparator.comparingDouble(UserFeatures.CategoryWeight::weight).reversed()
                .thenComparing(UserFeatures.CategoryWeight::category));
        return List.copyOf(ranked.subList(0, Math.min(top, ranked.size())));
    }

    private static long sum(Map<LocalDate, Long> days, LocalDate from, LocalDate to) {
        long n = 0;
        for (Map.Entry<LocalDate, Long> d : days.entrySet()) {
            if (!d.getKey().isBefore(from) && !d.getKey().isAfter(to)) {
                n += d.getValue();
            }
        }
        return n;
    }

    /** Days from {@code t} to {@code at}; 0 when t lies after at (an event beyond the watermark). */
    private static Double since(Instant t, Instant at) {
        return t == null ? null : t.isAfter(at) ? 0.0 : days(Duration.between(t, at));
    }

    private static double days(Duration d) {
        return round((d.getSeconds() + d.getNano() / 1e9) / DAY_SECONDS);
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }
}
