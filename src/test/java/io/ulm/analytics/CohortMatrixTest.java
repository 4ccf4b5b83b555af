package io.ulm.analytics;

import io.ulm.analytics.CohortMatrix.Retention;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Cohort retention math on hand-made inputs. */
class CohortMatrixTest {

    private static final Window WEEKS = Window.periods(Period.WEEK, Scenario.FROM, Scenario.TO);
    private static final Window MONTHS = Window.periods(Period.MONTH, Scenario.FROM, Scenario.TO);

    @Test
    void scenarioWeekly() {
        CohortMatrix recurring = CohortMatrix.build(Period.WEEK, Retention.RECURRING, Scenario.cohortCounts(Period.WEEK, WEEKS));
        assertThat(recurring.end()).isEqualTo("2009-04-06");
        assertThat(recurring.cohorts()).extracting(CohortMatrix.Row::cohort)
                .containsExactly(LocalDate.parse("2009-02-23"), LocalDate.parse("2009-03-02"));
        assertMatrix(recurring, Scenario.WEEKLY_SIZES, Scenario.WEEKLY_RECURRING);
        assertThat(recurring.cohorts().get(1).shares()).containsExactly(0.5, 0.25, 0.25, 0.25, 0.0, 0.25);

        CohortMatrix cumulative = CohortMatrix.build(Period.WEEK, Retention.CUMULATIVE, Scenario.cohortCounts(Period.WEEK, WEEKS));
        assertMatrix(cumulative, Scenario.WEEKLY_SIZES, Scenario.WEEKLY_CUMULATIVE);
        assertThat(cumulative.cohorts().get(1).shares()).containsExactly(0.75, 0.5, 0.5, 0.25, 0.25, 0.25);
    }

    @Test
    void scenarioMonthly() {
        CohortMatrix recurring = CohortMatrix.build(Period.MONTH, Retention.RECURRING, Scenario.cohortCounts(Period.MONTH, MONTHS));
        assertMatrix(recurring, new long[]{5}, Scenario.MONTHLY_RECURRING);
        assertThat(recurring.cohorts().get(0).cohort()).isEqualTo("2009-03-01");
        assertThat(recurring.cohorts().get(0).shares()).containsExactly(0.8, 0.2);
        CohortMatrix cumulative = CohortMatrix.build(Period.MONTH, Retention.CUMULATIVE, Scenario.cohortCounts(Period.MONTH, MONTHS));
        assertMatrix(cumulative, new long[]{5}, Scenario.MONTHLY_CUMULATIVE);
    }

    @Test
    void emptyCohortsBetweenAreKeptWithNullShares() {
        LocalDate w0 = LocalDate.parse("2011-01-03");
        LocalDate w2 = LocalDate.parse("2011-01-17");
        CohortMatrix.Counts counts = new CohortMatrix.Counts()
                .size(w0, 2).active(w0, 0, 2).active(w0, 2, 1).lastActive(w0, 0, 1).lastActive(w0, 2, 1)
                .size(w2, 1).active(w2, 0, 1).lastActive(w2, 0, 1)
                .end(LocalDate.parse("2011-01-19"));
        CohortMatrix m = CohortMatrix.build(Period.WEEK, Retention.RECURRING, counts);
        assertThat(m.cohorts()).hasSize(3);
        CohortMatrix.Row empty = m.cohorts().get(1);
        assertThat(empty.cohort()).isEqualTo("2011-01-10");
        assertThat(empty.users()).isZero();
        assertThat(empty.counts()).containsExactly(0L, 0L);
        assertThat(empty.shares()).containsExactly(null, null);
        assertThat(m.cohorts().get(0).counts()).containsExactly(2L, 0L, 1L);
        assertThat(m.cohorts().get(2).counts()).containsExactly(1L);
        CohortMatrix c = CohortMatrix.build(Period.WEEK, Retention.CUMULATIVE, counts);
        assertThat(c.cohorts().get(0).counts()).containsExactly(2L, 1L, 1L);
    }

    @Test
    void acquiredButNeverActiveCountsInTheSizeOnly() {
        LocalDate m0 = LocalDate.parse("2011-03-01");
        // 3 users acquired (one by an identify only), 2 active in their first month, none after; no activity data at all
        CohortMatrix.Counts counts = new CohortMatrix.Counts().size(m0, 3).active(m0, 0, 2).lastActive(m0, 0, 2).end(null);
        CohortMatrix m = CohortMatrix.build(Period.MONTH, Retention.RECURRING, counts);
        assertThat(m.end()).isEqualTo(m0);
        assertThat(m.cohorts()).singleElement().satisfies(r -> {
            assertThat(r.counts()).containsExactly(2L);
            assertThat(r.shares()).containsExactly(0.6667);
        });
    }

    @Test
    void activityBeforeAcquisitionIsIgnoredAndNothingGivesAnEmptyMatrix() {
        LocalDate m0 = LocalDate.parse("2011-03-01");
        CohortMatrix.Counts counts = new CohortMatrix.Counts().size(m0, 1).active(m0, -1, 1).lastActive(m0, -1, 1).end(m0);
        assertThat(CohortMatrix.build(Period.MONTH, Retention.CUMULATIVE, counts).cohorts().get(0).counts()).containsExactly(0L);
        assertThat(CohortMatrix.build(Period.MONTH, Retention.RECURRING, new CohortMatrix.Counts()).cohorts()).isEmpty();
    }

    static void assertMatrix(CohortMatrix m, long[] sizes, long[][] expected) {
        assertThat(m.cohorts()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            CohortMatrix.Row row = m.cohorts().get(i);
            assertThat(row.users()).as("size of cohort " + row.cohort()).isEqualTo(sizes[i]);
            assertThat(row.counts()).as("cohort " + row.cohort()).isEqualTo(Scenario.list(expected[i]));
        }
    }
}
