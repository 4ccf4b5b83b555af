package io.ulm.analytics;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The time range a report covers, as UTC dates: {@code start} inclusive, {@code end} exclusive. For
 * period reports both ends are widened to whole periods (a week or month is never cut in half).
 * Unbounded ends are far-away dates so that every query has the same, fully parameterised shape.
 */
public record Window(LocalDate start, LocalDate end) {

    static final LocalDate UNBOUNDED_START = LocalDate.of(1, 1, 1);
    static final LocalDate UNBOUNDED_END = LocalDate.of(9999, 12, 31);

    /** Exactly the given days: {@code from} inclusive, {@code to} exclusive (null: unbounded). */
    public static Window days(LocalDate from, LocalDate to) {
        return new Window(from == null ? UNBOUNDED_START : from, to == null ? UNBOUNDED_END : to);
    }

    /** Whole periods: from the period containing {@code from} to the end of the period containing the day before {@code to}. */
    public static Window periods(Period period, LocalDate from, LocalDate to) {
        LocalDate start = from == null ? UNBOUNDED_START : period.start(from);
        LocalDate end = to == null ? UNBOUNDED_END : period.plus(period.start(to.minusDays(1)), 1);
        return new Window(start, end);
    }

    OffsetDateTime startTime() {
        return start.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    OffsetDateTime endTime() {
        return end.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
