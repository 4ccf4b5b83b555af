package io.ulm.analytics;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostHog lifecycle classification on hand-made inputs. */
class LifecycleSeriesTest {

    @Test
    void scenarioWeekly() {
        LifecycleSeries s = LifecycleSeries.build(Period.WEEK,
                Scenario.lifecycleCounts(Period.WEEK, Window.periods(Period.WEEK, Scenario.FROM, Scenario.TO)));
        assertThat(s.series().get(0).period()).isEqualTo("2009-02-23");
        assertSeries(s, Scenario.WEEKLY_LIFECYCLE);
        // the week of 2009-03-30: nobody active, one user dormant; the series does not skip it
        assertThat(s.series().get(5).period()).isEqualTo("2009-03-30");
        assertThat(s.series().get(5).active()).isZero();
    }

    @Test
    void scenarioMonthly() {
        LifecycleSeries s = LifecycleSeries.build(Period.MONTH,
                Scenario.lifecycleCounts(Period.MONTH, Window.periods(Period.MONTH, Scenario.FROM, Scenario.TO)));
        assertThat(s.series().get(0).period()).isEqualTo("2009-03-01");
        assertSeries(s, Scenario.MONTHLY_LIFECYCLE);
    }

    @Test
    void emptyPeriodsAreFilledAndTrailingDormancyIsDropped() {
        LifecycleSeries.Counts counts = new LifecycleSeries.Counts()
                .add(LocalDate.parse("2011-01-01"), 3, 0, 0, 0)
                .add(LocalDate.parse("2011-04-01"), 0, 0, 1, 0)
                .add(LocalDate.parse("2011-02-01"), 0, 0, 0, 3)
                .add(LocalDate.parse("2011-05-01"), 0, 0, 0, 1);
        LifecycleSeries s = LifecycleSeries.build(Period.MONTH, counts);
        assertThat(s.series()).extracting(LifecycleSeries.Point::period).containsExactly(
                LocalDate.parse("2011-01-01"), LocalDate.parse("2011-02-01"), LocalDate.parse("2011-03-01"), LocalDate.parse("2011-04-01"));
        assertThat(s.series().get(1).dormant()).isEqualTo(-3);
        assertThat(s.series().get(2)).isEqualTo(new LifecycleSeries.Point(LocalDate.parse("2011-03-01"), 0, 0, 0, 0));
        assertThat(LifecycleSeries.build(Period.WEEK, new LifecycleSeries.Counts()).series()).isEmpty();
    }

    static void assertSeries(LifecycleSeries s, long[][] expected) {
        assertThat(s.series()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            LifecycleSeries.Point p = s.series().get(i);
            assertThat(new long[]{p.newUsers(), p.returning(), p.resurrecting(), p.dormant()}).as("period " + p.period())
                    .containsExactly(expected[i]);
        }
    }
}
