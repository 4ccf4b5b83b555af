package io.ulm.lifecycle.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A segment evaluation (number {@code evaluation}, run at the event-time watermark {@code at}) found the user
 * entering and leaving these segments. The aggregate emits only what changes its current set: a repeated
 * command is a no-op, so a re-run or a retried evaluation never announces a change twice.
 */
public record RecordSegmentChanges(@TargetAggregateIdentifier String userId, List<Change> entered, List<Change> left,
                                   Instant at, long evaluation) {

    public RecordSegmentChanges {
        entered = List.copyOf(entered);
        left = List.copyOf(left);
    }

    /** One segment and why: a short human reason and the values the evaluation saw. */
    public record Change(String segmentId, String reason, Map<String, Object> evidence) {
    }
}
