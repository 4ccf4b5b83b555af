package io.ulm.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A validated Segment message, normalised: ids as text, the event time skew-corrected, the fields the
 * lifecycle reads (revenue, items) extracted. Personal values are still in plain text here.
 */
public record IncomingMessage(int index, String messageId, String type, String userId, String anonymousId,
                              String previousId, String groupId, String event, Instant at, Instant receivedAt,
                              ObjectNode properties, ObjectNode traits, ObjectNode context,
                              BigDecimal revenue, String currency, List<String> itemIds) {

    /** The aggregate key the message is sent under before identity links are applied. */
    public String rawKey() {
        return userId != null ? userId : IdentityKeys.anonymous(anonymousId);
    }
}
