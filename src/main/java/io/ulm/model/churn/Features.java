package io.ulm.model.churn;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The churn model's input vector at a cutoff T, computed only from activities strictly before T (enforced: an
 * activity at or after T makes {@link #compute} throw). The formulas mirror {@code docs/features.md}; durations are
 * in days; a value that does not exist (no purchase, fewer than two purchases) is {@code NaN}, which XGBoost treats as
 * missing. The order of {@link #NAMES} is the model's (and the ONNX model's) feature order.
 */
public final class Features {

    /** Feature order; index constants below. */
    public static final List<String> NAMES = List.of(
            "recency_days",              // T − last activity
            "purchase_recency_days",     // T − last purchase; NaN without purchase
            "frequency",                 // number of purchases
            "activities",                // number of activities (purchases, refunds, views …)
            "monetary_net",              // Σ purchase revenue − Σ |refund revenue|
            "revenue",                   // Σ purchase revenue (gross)
            "refunds",                   // number of refunds
            "avg_order_value",           // revenue / purchases; NaN without purchase
            "tenure_days",               // T − acquiredAt
            "mean_inter_purchase_days",  // (last − first purchase) / (purchases − 1); NaN below 2 purchases
            "activity_last_28d",         // activities on the 28 UTC days ending with T's day
            "activity_prev_28d",         // activities on the 28 UTC days before those
            "activity_trend",            // (last − prev) / (last + prev), 0 when both are 0
            "sessions",                  // activities ≥ session gap after the previous one start a session
            "purchase_days");            // distinct UTC days with a purchase

    public static final int RECENCY_DAYS = 0;
    public static final int COUNT = NAMES.size();

    /**
     * @param sessionGap inactivity that ends a session (default 30 minutes, as {@code ulm.features.session-gap})
     * @param windowDays length of the recent/previous activity windows (default 28, as the feature API)
     */
    public record Settings(Duration sessionGap, int windowDays) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(30), 28);
    }

    private final Settings settings;

    public Features(Settings settings) {
        this.settings = settings;
    }

    public Features() {
        this(Settings.DEFAULTS);
    }

    /** The feature vector of a history that holds only activities before {@code cutoff}. */
    public float[] compute(UserHistory past, Instant cutoff) {
        CutoffGuard.requirePast(past, cutoff);
        Accumulator acc = new Accumulator(cutoff);
        past.activities().forEach(acc::add);
        return acc.vector(past.acquiredAt());
    }

    /** One pass over the activities in time order. */
    private final class Accumulator {
        private final Instant cutoff;
        private final LocalDate lastWindowStart;
        private final LocalDate previousWindowStart;
        private int activities;
        private int purchases;
        private int refunds;
        private int sessions;
        private int last;
        private int previous;
        private int purchaseDays;
        private double revenue;
        private double refunded;
        private Instant lastActivity;
        private Instant firstPurchase;
        private Instant lastPurchase;
        private LocalDate lastPurchaseDay;

        Accumulator(Instant cutoff) {
            this.cutoff = cutoff;
            LocalDate day = cutoff.atZone(ZoneOffset.UTC).toLocalDate();
            this.lastWindowStart = day.minusDays(settings.windowDays() - 1L);
            this.previousWindowStart = lastWindowStart.minusDays(settings.windowDays());
        }

        void add(Activity a) {
            if (lastActivity == null || !a.at().isBefore(lastActivity.plus(settings.sessionGap()))) {
                sessions++;
            }
            activities++;
            lastActivity = a.at();
            countWindow(a.at().atZone(ZoneOffset.UTC).toLocalDate());
            double money = a.revenue().doubleValue();
            if (a.purchase()) {
                addPurchase(a.at(), money);
            } else if (a.refund()) {
                refunds++;
                refunded += Math.abs(money);
            }
        }

        private void countWindow(LocalDate day) {
            if (!day.isBefore(lastWindowStart)) {
                last++;
            } else if (!day.isBefore(previousWindowStart)) {
                previous++;
            }
        }

        private void addPurchase(Instant at, double money) {
            purchases++;
            revenue += money;
            firstPurchase = firstPurchase == null ? at : firstPurchase;
            lastPurchase = at;
            LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
            if (!day.equals(lastPurchaseDay)) {
                purchaseDays++;
                lastPurchaseDay = day;
            }
        }

        float[] vector(Instant acquiredAt) {
            float nan = Float.NaN;
            return new float[] {
                    lastActivity == null ? nan : (float) CutoffGuard.days(lastActivity, cutoff),
                    lastPurchase == null ? nan : (float) CutoffGuard.days(lastPurchase, cutoff),
                    purchases,
                    activities,
                    (float) (revenue - refunded),
                    (float) revenue,
                    refunds,
                    purchases == 0 ? nan : (float) (revenue / purchases),
                    (float) CutoffGuard.days(acquiredAt, cutoff),
                    purchases < 2 ? nan : (float) (CutoffGuard.days(firstPurchase, lastPurchase) / (purchases - 1)),
                    last,
                    previous,
                    last + previous == 0 ? 0f : (float) (last - previous) / (last + previous),
                    sessions,
                    purchaseDays};
        }
    }
}
