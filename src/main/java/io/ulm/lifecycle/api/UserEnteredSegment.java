package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * The user entered segment {@code segmentId} at event time {@code at} (the watermark of segment evaluation
 * number {@code evaluation}), because of {@code reason} and {@code evidence}. Emitted by the segment job,
 * never by a replay.
 */
@Revision("1")
public record UserEnteredSegment(String userId, String segmentId, Instant at, long evaluation, String reason,
                                 Map<String, Object> evidence) {
}
