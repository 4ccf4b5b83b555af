package io.ulm.analytics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** UTC weeks start on Monday 00:00; windows widen to whole periods. */
class PeriodWindowTest {

    @Test
    void weeksStartMondayMidnightUtc() {
        assertThat(Period.WEEK.start(Instant.parse("2009-03-01T23:59:59Z"))).isEqualTo("2009-02-23"); // Sunday
        assertThat(Period.WEEK.start(Instant.parse("2009-03-02T00:00:00Z"))).isEqualTo("2009-03-02"); // Monday
        assertThat(Period.WEEK.start(Instant.parse("2009-03-08T23:59:59.999Z"))).isEqualTo("2009-03-02");
        // an instant that is already Monday in London summer time is still Sunday in UTC
        assertThat(Period.WEEK.start(Instant.parse("2011-06-05T23:30:00Z"))).isEqualTo("2011-05-30");
        // weeks across a year boundary are not cut at 1 January
        assertThat(Period.WEEK.start(LocalDate.parse("2011-01-01"))).isEqualTo("2010-12-27");
    }

    @Test
    void monthsAreCalendarMonthsInUtc() {
        assertThat(Period.MONTH.start(Instant.parse("2011-01-31T23:59:59Z"))).isEqualTo("2011-01-01");
        assertThat(Period.MONTH.start(Instant.parse("2011-02-01T00:00:00Z"))).isEqualTo("2011-02-01");
        assertThat(Period.MONTH.between(LocalDate.parse("2010-12-01"), LocalDate.parse("2011-12-01"))).isEqualTo(12);
        assertThat(Period.MONTH.plus(LocalDate.parse("2011-01-01"), 1)).isEqualTo("2011-02-01");
        assertThat(Period.WEEK.between(LocalDate.parse("2010-11-29"), LocalDate.parse("2011-12-05"))).isEqualTo(53);
    }

    @Test
    void windowsWidenToWholePeriods() {
        Window weeks = Window.periods(Period.WEEK, LocalDate.parse("2009-02-01"), LocalDate.parse("2009-05-01"));
        assertThat(weeks).isEqualTo(new Window(LocalDate.parse("2009-01-26"), LocalDate.parse("2009-05-04")));
        // "to" is exclusive: up to a Monday means the week before it, not the week it starts
        Window toMonday = Window.periods(Period.WEEK, LocalDate.parse("2009-03-02"), LocalDate.parse("2009-03-16"));
        assertThat(toMonday).isEqualTo(new Window(LocalDate.parse("2009-03-02"), LocalDate.parse("2009-03-16")));
        Window months = Window.periods(Period.MONTH, LocalDate.parse("2010-12-15"), LocalDate.parse("2011-02-01"));
        assertThat(months).isEqualTo(new Window(LocalDate.parse("2010-12-01"), LocalDate.parse("2011-02-01")));
        Window open = Window.periods(Period.MONTH, null, null);
        assertThat(open.start()).isEqualTo(Window.UNBOUNDED_START);
        assertThat(open.end()).isEqualTo(Window.UNBOUNDED_END);
        assertThat(Window.days(LocalDate.parse("2010-12-15"), null).start()).isEqualTo("2010-12-15");
    }
}
