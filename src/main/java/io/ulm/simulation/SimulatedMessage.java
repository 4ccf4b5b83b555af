package io.ulm.simulation;

import java.time.Instant;

/**
 * One generated Segment-style message: its event time, user, id and the JSON text (one NDJSON line, no newline).
 * {@code json} is what goes to {@code POST /v1/import}, {@code /v1/batch} or a Kafka topic.
 */
public record SimulatedMessage(Instant at, String userId, String messageId, String json) {
}
