package io.ulm.analytics;

import io.ulm.lifecycle.Stage;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Transition probabilities and the funnel's "reached this stage or higher" counting. */
class TransitionFunnelTest {

    @Test
    void probabilitiesAreOverTransitionsOutOfTheSameStageInTheSamePeriod() {
        LocalDate march = LocalDate.parse("2009-03-01");
        LocalDate april = LocalDate.parse("2009-04-01");
        TransitionMatrix m = TransitionMatrix.build("month", List.of(
                new TransitionMatrix.Count(april, Stage.ACQUIRED, Stage.AT_RISK, 2),
                new TransitionMatrix.Count(march, Stage.ACQUIRED, Stage.MONETIZED, 1),
                new TransitionMatrix.Count(march, null, Stage.ACQUIRED, 5),
                new TransitionMatrix.Count(march, Stage.ACQUIRED, Stage.ACTIVATED, 1),
                new TransitionMatrix.Count(march, Stage.ACQUIRED, Stage.ENGAGED, 1)));
        assertThat(m.periods()).extracting(TransitionMatrix.Group::start).containsExactly(march, april);
        TransitionMatrix.Group first = m.periods().get(0);
        assertThat(first.transitions()).isEqualTo(8);
        assertThat(first.cells()).containsExactly(
                new TransitionMatrix.Cell(null, Stage.ACQUIRED, 5, 5, 1.0),
                new TransitionMatrix.Cell(Stage.ACQUIRED, Stage.ACTIVATED, 1, 3, 0.3333),
                new TransitionMatrix.Cell(Stage.ACQUIRED, Stage.ENGAGED, 1, 3, 0.3333),
                new TransitionMatrix.Cell(Stage.ACQUIRED, Stage.MONETIZED, 1, 3, 0.3333));
        assertThat(m.periods().get(1).cells()).containsExactly(new TransitionMatrix.Cell(Stage.ACQUIRED, Stage.AT_RISK, 2, 2, 1.0));
        assertThat(TransitionMatrix.build("all", List.of()).periods()).isEmpty();
        TransitionMatrix all = TransitionMatrix.build("all", List.of(new TransitionMatrix.Count(null, Stage.AT_RISK, Stage.CHURNED, 4),
                new TransitionMatrix.Count(null, Stage.AT_RISK, Stage.REACTIVATED, 1)));
        assertThat(all.periods()).singleElement().satisfies(g -> {
            assertThat(g.start()).isNull();
            assertThat(g.cells()).extracting(TransitionMatrix.Cell::probability).containsExactly(0.8, 0.2);
        });
    }

    @Test
    void aJumpCountsForEveryLadderStageItPassed() {
        // scenario: A jumped ACQUIRED -> MONETIZED, B reached ACTIVATED, D jumped to ENGAGED, C and E stayed ACQUIRED
        Funnel f = Funnel.build(Map.of(0, 2L, 1, 1L, 2, 1L, 3, 1L), 5, 5, 1);
        assertThat(f.users()).isEqualTo(5);
        assertThat(f.steps()).extracting(Funnel.Step::stage).containsExactly(Stage.ACQUIRED, Stage.ACTIVATED, Stage.ENGAGED,
                Stage.MONETIZED, Stage.LOYAL, Stage.AT_RISK, Stage.CHURNED, Stage.REACTIVATED);
        assertThat(f.steps()).extracting(Funnel.Step::users).containsExactly(5L, 3L, 2L, 1L, 0L, 5L, 5L, 1L);
        assertThat(f.steps()).extracting(Funnel.Step::conversion).containsExactly(null, 0.6, 0.6667, 0.5, 0.0, 1.0, 1.0, 0.2);
        assertThat(f.steps()).extracting(Funnel.Step::previous).containsExactly(null, Stage.ACQUIRED, Stage.ACTIVATED, Stage.ENGAGED,
                Stage.MONETIZED, Stage.ACQUIRED, Stage.AT_RISK, Stage.AT_RISK);
        assertThat(f.steps().get(3).share()).isEqualTo(0.2);
    }

    @Test
    void noUsersGivesZerosAndNoRatios() {
        Funnel f = Funnel.build(Map.of(), 0, 0, 0);
        assertThat(f.steps()).extracting(Funnel.Step::users).containsOnly(0L);
        assertThat(f.steps()).extracting(Funnel.Step::conversion).containsOnlyNulls();
        assertThat(f.steps()).extracting(Funnel.Step::share).containsOnlyNulls();
    }
}
