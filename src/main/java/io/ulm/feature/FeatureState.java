package io.ulm.feature;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.UserAcquired;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * One user's feature inputs, folded event by event in log order: by the projection (starting from the stored
 * row, one batch at a time) and by the as-of rebuild (starting empty). Both apply the same events in the same
 * order with the same arithmetic, so they agree to the last bit whatever the batch boundaries were.
 *
 * <p>{@code days} holds the activities this fold added per UTC day (the projection adds them to the stored
 * counts); {@code items} the decayed interest of each item touched (the projection loads the stored values of
 * those items first).
 */
public final class FeatureState {

    Instant acquiredAt;
    long activities;
    Instant firstActivityAt;
    Instant lastActivityAt;
    long sessions;
    long purchases;
    Instant firstPurchaseAt;
    Instant lastPurchaseAt;
    long refunds;
    BigDecimal revenue = BigDecimal.ZERO.setScale(4);
    BigDecimal refunded = BigDecimal.ZERO.setScale(4);
    final Map<LocalDate, Long> days = new TreeMap<>();
    final Map<String, Decay.Point> items = new TreeMap<>();

    public void apply(UserAcquired e) {
        acquiredAt = micros(e.at());
    }

    public void apply(ActivityRecorded e, FeatureSettings settings) {
        if (e.kind() == null || !e.kind().activity()) {
            return;
        }
        Instant at = micros(e.at());
        session(at, settings);
        activities++;
        firstActivityAt = min(firstActivityAt, at);
        lastActivityAt = max(lastActivityAt, at);
        days.merge(at.atZone(ZoneOffset.UTC).toLocalDate(), 1L, Long::sum);
        if (e.kind().purchase()) {
            purchases++;
            firstPurchaseAt = min(firstPurchaseAt, at);
            lastPurchaseAt = max(lastPurchaseAt, at);
            revenue = revenue.add(money(e.revenue()));
        }
        if (e.kind().refund()) {
            refunds++;
            refunded = refunded.add(money(e.revenue()).abs());
        }
        double x = settings.interestWeight(e.kind());
        if (x != 0 && e.itemIds() != null) {
            for (String item : e.itemIds()) {
                items.put(item, Decay.add(items.getOrDefault(item, Decay.Point.EMPTY), x, at, settings.halfLife()));
            }
        }
    }

    /**
     * Sessions in log order: an activity at least {@code sessionGap} after the latest one so far starts a new
     * session. An activity older than the latest (out of order) never starts one: exact for a user whose
     * messages arrive in event-time order, a lower bound otherwise (docs/features.md).
     */
    private void session(Instant at, FeatureSettings settings) {
        if (sessions == 0 || lastActivityAt == null) {
            sessions = Math.max(sessions, 1);
        } else if (!at.isBefore(lastActivityAt.plus(settings.sessionGap()))) {
            sessions++;
        }
    }

    /** Money at the read model's scale, rounded per event: sums are then exact, whatever the batch boundaries. */
    static BigDecimal money(BigDecimal value) {
        return value == null ? BigDecimal.ZERO.setScale(4) : value.setScale(4, RoundingMode.HALF_UP);
    }

    /** Event times at the database's resolution, so a value read back folds exactly like one kept in memory. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
