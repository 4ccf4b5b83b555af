package io.ulm.projection;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How the replay audit decides which events a live processor had handled (pure, no database). */
class ReplayAuditTokensTest {

    @Test
    void anEventIsAssignedToTheSegmentThePooledProcessorGivesIt() {
        Segment[] axon = Segment.ROOT_SEGMENT.split();   // what a processor with 2 segments uses
        for (int i = 0; i < 1_000; i++) {
            String aggregate = "user-" + UUID.nameUUIDFromBytes(("u" + i).getBytes());
            int expected = axon[0].matches(aggregate) ? axon[0].getSegmentId() : axon[1].getSegmentId();
            assertThat(ReplayAudit.segmentFor(aggregate, new int[]{0, 1})).as(aggregate).isEqualTo(expected);
        }
    }

    @Test
    void processedMeansAtOrBelowTheIndexAndNotAGap() {
        GapAwareTrackingToken live = GapAwareTrackingToken.newInstance(100, new TreeSet<>(Set.of(0L, 50L)));
        assertThat(ReplayAudit.processed(live, GapAwareTrackingToken.newInstance(1, List.of()))).as("first event, old gap at 0").isTrue();
        assertThat(ReplayAudit.processed(live, GapAwareTrackingToken.newInstance(50, List.of()))).as("a gap").isFalse();
        assertThat(ReplayAudit.processed(live, GapAwareTrackingToken.newInstance(100, List.of()))).isTrue();
        assertThat(ReplayAudit.processed(live, GapAwareTrackingToken.newInstance(101, List.of()))).as("beyond the token").isFalse();
        assertThat(ReplayAudit.processed(null, GapAwareTrackingToken.newInstance(1, List.of()))).as("no token yet").isFalse();
        ReplayToken replaying = (ReplayToken) ReplayToken.createReplayToken(live, GapAwareTrackingToken.newInstance(10, List.of()));
        assertThat(ReplayAudit.processed(replaying, GapAwareTrackingToken.newInstance(10, List.of()))).as("replay position").isTrue();
        assertThat(ReplayAudit.processed(replaying, GapAwareTrackingToken.newInstance(11, List.of()))).isFalse();
    }
}
