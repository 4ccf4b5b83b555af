package io.ulm.lifecycle;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AdvanceLifecycleClock;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.lifecycle.api.StageChanged;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ulm.lifecycle.LifecycleFixture.run;
import static io.ulm.lifecycle.LifecycleFixture.stages;
import static io.ulm.lifecycle.LifecycleFixture.stagesOf;
import static io.ulm.lifecycle.Messages.*;
import static io.ulm.lifecycle.Stage.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Late, duplicate and out-of-order delivery, and the import mode that decides only at the end. */
class DeliveryOrderTest {

    private static final Duration LATENESS = Duration.ofHours(6);

    /** A history that walks through most rules: activation, engagement, purchase, lapse, return, loyalty. */
    private static List<Observation> history() {
        List<Observation> list = new ArrayList<>();
        double[] views = {0, 0.05, 0.1, 2, 5, 9, 45, 46, 50, 52, 54};
        for (int i = 0; i < views.length; i++) {
            list.add(view("v" + i, day(views[i])));
        }
        double[] purchases = {6, 47, 60, 70};
        for (int i = 0; i < purchases.length; i++) {
            list.add(purchase("p" + i, day(purchases[i])));
        }
        list.sort((a, b) -> a.at().compareTo(b.at()));
        return list;
    }

    /** Delivers one message per command with the watermark at (latest timestamp seen - lateness). */
    private static List<StageChanged> deliver(List<Observation> order) {
        List<Object> commands = new ArrayList<>();
        Instant latest = Instant.MIN;
        for (Observation o : order) {
            latest = o.at().isAfter(latest) ? o.at() : latest;
            commands.add(new RecordActivity("u1", List.of(o), latest.minus(LATENESS)));
        }
        commands.add(new AdvanceLifecycleClock("u1", day(200)));
        return stagesOf(commands.toArray());
    }

    @Test
    void inOrderDeliveryWalksTheWholeLadder() {
        assertThat(deliver(history())).extracting(StageChanged::to).containsExactly(
                ACQUIRED, ACTIVATED, ENGAGED, MONETIZED, AT_RISK, REACTIVATED, MONETIZED, LOYAL, AT_RISK, CHURNED);
    }

    @Test
    void outOfOrderDeliveryWithinTheAllowedLatenessGivesTheSameTransitions() {
        List<StageChanged> expected = deliver(history());
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            List<Observation> shuffled = shuffleWithin(history(), random);
            assertThat(deliver(shuffled)).as("delivery order %s", shuffled.stream().map(Observation::messageId).toList())
                    .isEqualTo(expected);
        }
    }

    /** Swaps neighbours whose timestamps are closer than the allowed lateness. */
    private static List<Observation> shuffleWithin(List<Observation> inOrder, Random random) {
        List<Observation> list = new ArrayList<>(inOrder);
        for (int i = 0; i + 1 < list.size(); i++) {
            boolean close = Duration.between(list.get(i).at(), list.get(i + 1).at()).compareTo(LATENESS) < 0;
            if (close && random.nextBoolean()) {
                Collections.swap(list, i, i + 1);
            }
        }
        return list;
    }

    @Test
    void theSameMessageDeliveredTwiceIsRecordedOnce() {
        List<Object> events = run(new RecordActivity("u1", List.of(view("m1", day(0)), view("m1", day(0))), day(0)),
                new RecordActivity("u1", List.of(view("m1", day(0))), day(0)));
        assertThat(events.stream().filter(ActivityRecorded.class::isInstance)).hasSize(1);
        assertThat(stages(events)).extracting(StageChanged::to).containsExactly(ACQUIRED);
    }

    @Test
    void aMessageOlderThanTheDecidedHistoryIsMarkedLateAndRewritesNothing() {
        List<Object> events = run(live(view("m1", day(10)), view("m2", day(10.1))), live(view("m0", day(1))));
        ActivityRecorded late = events.stream().filter(ActivityRecorded.class::isInstance).map(ActivityRecorded.class::cast)
                .filter(e -> e.messageId().equals("m0")).findFirst().orElseThrow();
        assertThat(late.late()).isTrue();
        // acquisition stays at the first decided message; the late one still counts for activation from now on
        assertThat(stages(events)).extracting(StageChanged::to, StageChanged::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ACQUIRED, day(10)));
    }

    @Test
    void anImportRecordsWithoutDecidingAndTheFinalSweepDecidesInEventOrder() {
        List<Observation> reversed = new ArrayList<>(history());
        Collections.reverse(reversed);
        List<Object> commands = new ArrayList<>();
        for (Observation o : reversed) {
            commands.add(new RecordActivity("u1", List.of(o), null));
        }
        commands.add(new AdvanceLifecycleClock("u1", day(200)));
        assertThat(stagesOf(commands.toArray())).isEqualTo(deliver(history()));
    }

    private static RecordActivity live(Observation... observations) {
        Instant latest = List.of(observations).stream().map(Observation::at).max(Instant::compareTo).orElseThrow();
        return new RecordActivity("u1", List.of(observations), latest);
    }
}
