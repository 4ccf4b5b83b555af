package io.ulm.lifecycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.ActivityKind;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A track, page or screen message of the user. {@code kind} is how the lifecycle rules classified it
 * when it was recorded; {@code late} marks a message that arrived after the rules had already decided
 * past its timestamp (beyond the allowed lateness), so it counts from now on but rewrites no history.
 */
@Revision("1")
public record ActivityRecorded(String userId, String messageId, String type, String event, Instant at,
                               Instant receivedAt, ActivityKind kind, JsonNode properties, JsonNode context,
                               BigDecimal revenue, String currency, List<String> itemIds, boolean late) {
}
