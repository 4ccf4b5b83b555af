package io.ulm.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * A reporting period in UTC: ISO weeks (starting Monday 00:00 UTC) or calendar months. A period is
 * named by the date it starts on. PostgreSQL's {@code date_trunc('week', …)} is the same ISO week,
 * which is why the queries can bucket with it and the results line up with {@link #start}.
 */
public enum Period {
    WEEK("week"),
    MONTH("month");

    private final String sql;

    Period(String sql) {
        this.sql = sql;
    }

    /** The {@code date_trunc} / {@code interval} unit; a constant, never user input. */
    String sql() {
        return sql;
    }

    public LocalDate start(LocalDate day) {
        return this == WEEK ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : day.withDayOfMonth(1);
    }

    public LocalDate start(Instant at) {
        return start(at.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    /** The start of the period {@code n} periods after the one starting at {@code start}. */
    public LocalDate plus(LocalDate start, long n) {
        return this == WEEK ? start.plusWeeks(n) : start.plusMonths(n);
    }

    /** How many periods lie between two period starts ({@code to} later gives a positive number). */
    public long between(LocalDate from, LocalDate to) {
        return this == WEEK ? ChronoUnit.WEEKS.between(from, to) : ChronoUnit.MONTHS.between(from, to);
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return sql;
    }
}
