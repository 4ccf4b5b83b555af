package io.ulm.lifecycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.ActivityKind;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One validated, normalised message for a user's lifecycle. Personal values in {@code properties}
 * and {@code traits} are already encrypted: the write side never sees them in plain text.
 *
 * @param type      the Segment message type: track, page, screen, identify, group or alias
 * @param event     the track event name, or the page/screen name
 * @param at        event time, skew-corrected
 * @param previousId for alias: the earlier id of the user
 * @param linkedIds  the ids this message linked to the user (an anonymousId, an alias' previousId)
 */
public record Observation(String messageId, String type, String event, Instant at, Instant receivedAt,
                          ActivityKind kind, JsonNode properties, JsonNode traits, JsonNode context,
                          BigDecimal revenue, String currency, List<String> itemIds, String groupId,
                          String previousId, List<String> linkedIds) {
    public Observation {
        itemIds = itemIds == null ? List.of() : List.copyOf(itemIds);
        linkedIds = linkedIds == null ? List.of() : List.copyOf(linkedIds);
    }
}
