package io.ulm.model.churn;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The BG/NBD and Gamma-Gamma inputs of one customer at a cutoff T, in DAYS: purchases are counted per UTC day (several
 * invoices on one day are one transaction, as in Fader, Hardie &amp; Lee's CDNOW data), and her first purchase day
 * starts the clock.
 *
 * @param x           repeat purchase days (distinct purchase days − 1)
 * @param tx          days from the first to the last purchase day
 * @param t           days from the first purchase day to T (the model's "T")
 * @param meanRepeatSpend mean revenue per repeat purchase day (NaN when x = 0), the Gamma-Gamma input
 */
public record RepeatPurchases(int x, double tx, double t, double meanRepeatSpend) {

    /**
     * From a history holding only activities before {@code cutoff}. Without any purchase: x = 0, tx = 0 and t is
     * her tenure (T − acquiredAt), so such a customer reads as "one purchase at acquisition, nothing since".
     */
    public static RepeatPurchases of(UserHistory past, Instant cutoff) {
        CutoffGuard.requirePast(past, cutoff);
        List<LocalDate> days = new ArrayList<>();
        List<Double> spend = new ArrayList<>();
        for (Activity a : past.activities()) {
            if (!a.purchase()) {
                continue;
            }
            LocalDate day = a.at().atZone(ZoneOffset.UTC).toLocalDate();
            if (days.isEmpty() || !days.get(days.size() - 1).equals(day)) {
                days.add(day);
                spend.add(0.0);
            }
            spend.set(spend.size() - 1, spend.get(spend.size() - 1) + a.revenue().max(BigDecimal.ZERO).doubleValue());
        }
        if (days.isEmpty()) {
            return new RepeatPurchases(0, 0, CutoffGuard.days(past.acquiredAt(), cutoff), Double.NaN);
        }
        Instant first = days.get(0).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant last = days.get(days.size() - 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        double repeatSpend = spend.subList(1, spend.size()).stream().mapToDouble(Double::doubleValue).sum();
        int x = days.size() - 1;
        return new RepeatPurchases(x, CutoffGuard.days(first, last), CutoffGuard.days(first, cutoff),
                x == 0 ? Double.NaN : repeatSpend / x);
    }
}
