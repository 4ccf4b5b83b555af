package io.ulm.lifecycle.api;

import io.ulm.lifecycle.Cursor;
import io.ulm.lifecycle.Stage;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * The user moved from one lifecycle stage to another at event time {@code at}, because rule
 * {@code ruleId} fired on {@code evidence}. {@code causeMessageId} is the message that triggered it
 * (null for inactivity); {@code cursor} is how far in the user's history the rules had decided.
 */
@Revision("1")
public record StageChanged(String userId, Stage from, Stage to, Instant at, String ruleId,
                           Map<String, Object> evidence, String causeMessageId, Instant lastActivityAt,
                           Cursor cursor) {
}
