package io.ulm.lifecycle;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AdvanceLifecycleClock;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.UserAcquired;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.ulm.lifecycle.LifecycleFixture.run;
import static io.ulm.lifecycle.LifecycleFixture.stagesOf;
import static io.ulm.lifecycle.Messages.*;
import static io.ulm.lifecycle.Stage.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Every default stage rule and its edges, through Axon's aggregate fixture. */
class UserLifecycleTest {

    private static RecordActivity live(Observation... observations) {
        Instant latest = List.of(observations).stream().map(Observation::at).max(Instant::compareTo).orElseThrow();
        return new RecordActivity("u1", List.of(observations), latest);
    }

    private static AdvanceLifecycleClock sweep(double day) {
        return new AdvanceLifecycleClock("u1", day(day));
    }

    @Nested
    class Acquired {
        @Test
        void firstMessageAcquiresAtItsEventTime() {
            List<Object> events = run(live(view("m1", day(0))));
            assertThat(events).hasSize(3);
            assertThat(events.get(0)).isInstanceOf(ActivityRecorded.class);
            assertThat(events.get(1)).isEqualTo(new UserAcquired("u1", day(0), "m1"));
            StageChanged acquired = (StageChanged) events.get(2);
            assertThat(acquired.from()).isNull();
            assertThat(acquired.to()).isEqualTo(ACQUIRED);
            assertThat(acquired.ruleId()).isEqualTo("acquired");
            assertThat(acquired.evidence()).containsEntry("firstMessageId", "m1");
        }

        @Test
        void anIdentifyAloneAcquiresAndStartsTheInactivityClock() {
            assertThat(stagesOf(live(identify("m1", day(0))), sweep(31)))
                    .extracting(StageChanged::to, StageChanged::at)
                    .containsExactly(tuple(ACQUIRED, day(0)), tuple(AT_RISK, day(30)));
        }
    }

    @Nested
    class Activated {
        @Test
        void threeCoreActionsWithinFourteenDays() {
            assertThat(stagesOf(live(view("m1", day(0)), view("m2", day(0.1)), view("m3", day(0.2)))))
                    .extracting(StageChanged::to, StageChanged::at, StageChanged::ruleId)
                    .containsExactly(tuple(ACQUIRED, day(0), "acquired"), tuple(ACTIVATED, day(0.2), "activated"));
        }

        @Test
        void theThirdActionExactlyAtTheWindowEndStillCounts() {
            // days 0, 0.1 and 14.0: only two distinct calendar days, so not engaged, but activated
            assertThat(stagesOf(live(view("m1", day(0)), view("m2", day(0.1)), view("m3", day(14)))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED, ACTIVATED);
        }

        @Test
        void aThirdActionAfterTheWindowDoesNotActivate() {
            assertThat(stagesOf(live(view("m1", day(0)), view("m2", day(0.1)), view("m3", day(14.01)))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED);
        }

        @Test
        void pageViewsAreActivityButNotCoreActions() {
            assertThat(stagesOf(live(page("m1", day(0)), page("m2", day(0.1)), page("m3", day(0.2)))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED);
        }
    }

    @Nested
    class Engaged {
        @Test
        void activityOnThreeDistinctDaysInsideFourteenDays() {
            assertThat(stagesOf(live(page("m1", day(0)), page("m2", day(7)), page("m3", day(14)))))
                    .extracting(StageChanged::to, StageChanged::at, StageChanged::ruleId)
                    .containsExactly(tuple(ACQUIRED, day(0), "acquired"), tuple(ENGAGED, day(14), "engaged"));
        }

        @Test
        void theWindowSlides() {
            assertThat(stagesOf(live(page("m1", day(0)), page("m2", day(7)), page("m3", day(14.01)))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED);
        }
    }

    @Nested
    class Monetized {
        @Test
        void aFirstPurchaseMonetizesEvenAsTheFirstMessage() {
            assertThat(stagesOf(live(purchase("m1", day(0)))))
                    .extracting(StageChanged::from, StageChanged::to, StageChanged::at)
                    .containsExactly(tuple(null, ACQUIRED, day(0)), tuple(ACQUIRED, MONETIZED, day(0)));
        }

        @Test
        void aRefundIsActivityButNotAPurchase() {
            assertThat(stagesOf(live(track("m1", day(0), "Order Refunded"))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED);
        }
    }

    @Nested
    class Loyal {
        @Test
        void threePurchasesInsideNinetyDays() {
            assertThat(stagesOf(live(purchase("p1", day(0)), view("v1", day(20)), view("v2", day(40)),
                    purchase("p2", day(60)), view("v3", day(80)), purchase("p3", day(90)))))
                    .extracting(StageChanged::to, StageChanged::at)
                    .containsExactly(tuple(ACQUIRED, day(0)), tuple(MONETIZED, day(0)), tuple(LOYAL, day(90)));
        }

        @Test
        void aPurchaseThatFallsOutOfTheWindowDoesNotCount() {
            assertThat(stagesOf(live(purchase("p1", day(0)), view("v1", day(20)), view("v2", day(40)),
                    purchase("p2", day(60)), view("v3", day(80)), purchase("p3", day(90.01)))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED, MONETIZED);
        }
    }

    @Nested
    class Inactivity {
        @Test
        void atRiskExactlyThirtyDaysAfterTheLastActivityWhateverTheSweepTime() {
            assertThat(stagesOf(live(view("m1", day(0))), sweep(29.99))).extracting(StageChanged::to).containsExactly(ACQUIRED);
            assertThat(stagesOf(live(view("m1", day(0))), sweep(30)))
                    .extracting(StageChanged::to, StageChanged::at, StageChanged::ruleId)
                    .containsExactly(tuple(ACQUIRED, day(0), "acquired"), tuple(AT_RISK, day(30), "at_risk"));
            assertThat(stagesOf(live(view("m1", day(0))), sweep(75)))
                    .extracting(StageChanged::to, StageChanged::at).containsExactly(tuple(ACQUIRED, day(0)), tuple(AT_RISK, day(30)));
        }

        @Test
        void churnedAtNinetyDaysAndBothTransitionsFromOneLateSweep() {
            assertThat(stagesOf(live(view("m1", day(0))), sweep(89.99))).extracting(StageChanged::to).containsExactly(ACQUIRED, AT_RISK);
            assertThat(stagesOf(live(view("m1", day(0))), sweep(400)))
                    .extracting(StageChanged::to, StageChanged::at, StageChanged::ruleId)
                    .containsExactly(tuple(ACQUIRED, day(0), "acquired"), tuple(AT_RISK, day(30), "at_risk"),
                            tuple(CHURNED, day(90), "churned"));
        }

        @Test
        void aSweepThatFindsNothingEmitsNothingAndSaysWhenToComeBack() {
            List<Object> events = run(live(view("m1", day(0))), sweep(10), sweep(10));
            assertThat(LifecycleFixture.stages(events)).extracting(StageChanged::to).containsExactly(ACQUIRED);
        }
    }

    @Nested
    class Reactivated {
        @Test
        void activityAfterAtRiskReactivatesWithEvidence() {
            List<StageChanged> stages = stagesOf(live(view("m1", day(0))), sweep(35), live(view("m2", day(40))));
            assertThat(stages).extracting(StageChanged::to).containsExactly(ACQUIRED, AT_RISK, REACTIVATED);
            StageChanged back = stages.get(2);
            assertThat(back.from()).isEqualTo(AT_RISK);
            assertThat(back.causeMessageId()).isEqualTo("m2");
            assertThat(back.evidence()).containsEntry("previousStage", "AT_RISK").containsEntry("inactiveDays", 40L);
        }

        @Test
        void activityAfterChurnReactivates() {
            assertThat(stagesOf(live(view("m1", day(0))), sweep(100), live(view("m2", day(120)))))
                    .extracting(StageChanged::from, StageChanged::to)
                    .containsExactly(tuple(null, ACQUIRED), tuple(ACQUIRED, AT_RISK), tuple(AT_RISK, CHURNED), tuple(CHURNED, REACTIVATED));
        }

        @Test
        void withoutAnySweepTheGapItselfProducesTheSameHistory() {
            assertThat(stagesOf(live(view("m1", day(0))), live(view("m2", day(120)))))
                    .extracting(StageChanged::to, StageChanged::at)
                    .containsExactly(tuple(ACQUIRED, day(0)), tuple(AT_RISK, day(30)), tuple(CHURNED, day(90)), tuple(REACTIVATED, day(120)));
        }

        @Test
        void aReactivatingPurchaseStartsANewLifeAndMonetizesAgain() {
            assertThat(stagesOf(live(purchase("p1", day(0))), live(purchase("p2", day(40)))))
                    .extracting(StageChanged::to, StageChanged::at)
                    .containsExactly(tuple(ACQUIRED, day(0)), tuple(MONETIZED, day(0)), tuple(AT_RISK, day(30)),
                            tuple(REACTIVATED, day(40)), tuple(MONETIZED, day(40)));
        }

        @Test
        void purchasesOfAPreviousLifeDoNotCountTowardsLoyalty() {
            assertThat(stagesOf(live(purchase("p1", day(0)), purchase("p2", day(1))), live(purchase("p3", day(40)))))
                    .extracting(StageChanged::to).containsExactly(ACQUIRED, MONETIZED, AT_RISK, REACTIVATED, MONETIZED);
        }
    }
}
