package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * The user entered segment {@code segmentId} at event time {@code at} (the watermark of segment evaluation
 * number {@code evaluation}), because of {@code reason} and {@code evidence}. Emitted by the segment job,
 * never by a replay.
 *
 * <p>Revision 2 added {@code family} ({@code rfm}, {@code rule} or {@code cluster}), so that consumers route by the
 * kind of segment without parsing the id grammar; revision 1 events in the store are upcast on read
 * ({@code io.ulm.platform.upcasting.UserEnteredSegmentFamily}, docs/schema-evolution.md).
 */
@Revision("2")
public record UserEnteredSegment(String userId, String segmentId, String family, Instant at, long evaluation, String reason,
                                 Map<String, Object> evidence) {

    /** The segment families, the prefix of every segment id ({@code rfm:champions}, {@code rule:vip}, {@code cluster:kmeans:2}). */
    public static final java.util.Set<String> FAMILIES = java.util.Set.of("rfm", "rule", "cluster");

    /** An entry whose family follows from its id (what the segment job emits). */
    public UserEnteredSegment(String userId, String segmentId, Instant at, long evaluation, String reason, Map<String, Object> evidence) {
        this(userId, segmentId, familyOf(segmentId), at, evaluation, reason, evidence);
    }

    /** The family of a segment id: the part before the first colon. */
    public static String familyOf(String segmentId) {
        int colon = segmentId.indexOf(':');
        String family = colon < 0 ? segmentId : segmentId.substring(0, colon);
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("Not a segment id of a known family " + FAMILIES + ": " + segmentId);
        }
        return family;
    }
}
