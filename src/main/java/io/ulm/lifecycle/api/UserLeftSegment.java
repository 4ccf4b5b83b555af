package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * The user left segment {@code segmentId} at event time {@code at} (the watermark of segment evaluation
 * number {@code evaluation}); {@code reason} and {@code evidence} say what the evaluation saw instead.
 */
@Revision("1")
public record UserLeftSegment(String userId, String segmentId, Instant at, long evaluation, String reason,
                              Map<String, Object> evidence) {
}
