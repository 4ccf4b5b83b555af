package io.ulm.segment;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ulm.lifecycle.ActivityKind;
import io.ulm.lifecycle.LifecycleRules;
import io.ulm.lifecycle.LifecycleRulesLoader;
import io.ulm.lifecycle.UserLifecycle;
import io.ulm.lifecycle.api.LifecycleDecision;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.lifecycle.api.RecordSegmentChanges;
import io.ulm.lifecycle.api.RecordSegmentChanges.Change;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;


/**
 * The user aggregate's side of segments: it keeps her current set, so a repeated command emits nothing, an
 * exit of a segment she is not in is ignored, exits come before entries, and the schedule's due time is kept.
 */
class SegmentAggregateTest {

    private static final LifecycleRules RULES = LifecycleRulesLoader.defaults();
    private static final Instant BOUGHT = Instant.parse("2011-11-01T10:00:00Z");
    private static final Instant W1 = Instant.parse("2011-12-09T12:50:00Z");
    /** AT_RISK is due 30 days after her last activity: what the schedule must keep holding. */
    private static final Instant DUE = BOUGHT.plus(Duration.ofDays(30));

    private AggregateTestFixture<UserLifecycle> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(UserLifecycle.class);
        fixture.registerInjectableResource(RULES);
    }

    private static RecordActivity purchase() {
        ActivityKind kind = ActivityKind.classify(RULES.classification(), "track", "Order Completed");
        Observation o = new Observation("m-1", "track", "Order Completed", BOUGHT, BOUGHT, kind, JsonNodeFactory.instance.objectNode(),
                null, null, new BigDecimal("40.00"), "GBP", List.of(), null, null, null);
        return new RecordActivity("u-1", List.of(o), BOUGHT);
    }

    private static Change change(String segment) {
        return new Change(segment, "because", Map.of("r", 5));
    }

    private static RecordSegmentChanges changes(long evaluation, List<Change> entered, List<Change> left) {
        return new RecordSegmentChanges("u-1", entered, left, W1, evaluation);
    }

    @Test
    void entriesAreEmittedOnceWithTheWatermarkAsTheirTime() {
        fixture.givenCommands(purchase())
                .when(changes(1, List.of(change("rfm:champions"), change("rule:vip")), List.of()))
                .expectEvents(new UserEnteredSegment("u-1", "rfm:champions", W1, 1, "because", Map.of("r", 5)),
                        new UserEnteredSegment("u-1", "rule:vip", W1, 1, "because", Map.of("r", 5)));
        fixture.givenCommands(purchase(), changes(1, List.of(change("rfm:champions")), List.of()))
                .when(changes(2, List.of(change("rfm:champions")), List.of()))
                .expectNoEvents();
    }

    @Test
    void aMoveIsAnExitThenAnEntryAndUnknownExitsAreIgnored() {
        fixture.givenCommands(purchase(), changes(1, List.of(change("rfm:champions")), List.of()))
                .when(changes(2, List.of(change("rfm:loyal")), List.of(change("rfm:champions"), change("rule:never-in"))))
                .expectEvents(new UserLeftSegment("u-1", "rfm:champions", W1, 2, "because", Map.of("r", 5)),
                        new UserEnteredSegment("u-1", "rfm:loyal", W1, 2, "because", Map.of("r", 5)));
    }

    @Test
    void theScheduleKeepsItsDueTimeAndNoStageIsDecided() {
        // W1 is past the AT_RISK threshold: the segment command must neither decide it nor lose it
        fixture.givenCommands(purchase())
                .when(changes(1, List.of(change("rfm:at-risk")), List.of()))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<LifecycleDecision>("next due at " + DUE) {
                    @Override
                    protected boolean matchesSafely(LifecycleDecision d) {
                        return DUE.equals(d.nextDueAt());
                    }
                })
                .expectEvents(new UserEnteredSegment("u-1", "rfm:at-risk", W1, 1, "because", Map.of("r", 5)));
        fixture.givenCommands(purchase())
                .when(changes(1, List.of(), List.of()))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.hamcrest.Matchers.instanceOf(LifecycleDecision.class));
    }
}
