package io.ulm.analytics;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.StageChanged;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch of events adds to the analytics tables, folded in memory and written once when the
 * batch commits with its token. Sorted maps: rows are written in key order, so two segments writing
 * at once always take row locks in the same order.
 */
final class AnalyticsBatch {

    /** Activity of one user on one UTC day. */
    static final class Day {
        long activities;
        long purchases;
        long refunds;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
    }

    record DayKey(String userId, LocalDate day) implements Comparable<DayKey> {
        @Override
        public int compareTo(DayKey o) {
            int c = userId.compareTo(o.userId);
            return c != 0 ? c : day.compareTo(o.day);
        }
    }

    record TransitionKey(String userId, long seq) implements Comparable<TransitionKey> {
        @Override
        public int compareTo(TransitionKey o) {
            int c = userId.compareTo(o.userId);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Map<DayKey, Day> days = new TreeMap<>();
    private final Map<TransitionKey, StageChanged> transitions = new TreeMap<>();
    private final Map<String, Instant> acquisitions = new TreeMap<>();

    void activity(ActivityRecorded e) {
        Day d = days.computeIfAbsent(new DayKey(e.userId(), utcDay(e.at())), k -> new Day());
        d.activities++;
        BigDecimal amount = e.revenue() == null ? BigDecimal.ZERO : e.revenue();
        if (e.kind().purchase()) {
            d.purchases++;
            d.revenue = d.revenue.add(amount);
        }
        if (e.kind().refund()) {
            d.refunds++;
            d.refunded = d.refunded.add(amount.abs());
        }
    }

    void transition(StageChanged e, long seq) {
        transitions.put(new TransitionKey(e.userId(), seq), e);
    }

    /** The earliest wins, should a user ever be acquired twice (she is not: the aggregate emits it once). */
    void acquired(String userId, Instant at) {
        acquisitions.merge(userId, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    Map<DayKey, Day> days() {
        return days;
    }

    Map<TransitionKey, StageChanged> transitions() {
        return transitions;
    }

    Map<String, Instant> acquisitions() {
        return acquisitions;
    }

    boolean isEmpty() {
        return days.isEmpty() && transitions.isEmpty() && acquisitions.isEmpty();
    }

    static LocalDate utcDay(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
