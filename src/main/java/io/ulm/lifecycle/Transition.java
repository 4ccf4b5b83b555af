package io.ulm.lifecycle;

import java.time.Instant;
import java.util.Map;

/**
 * A stage change the rules decided: the rule that fired, the evidence it saw, the message that
 * caused it (null for inactivity) and the user's last activity before it.
 */
public record Transition(Stage from, Stage to, Instant at, String ruleId, Map<String, Object> evidence,
                         String causeMessageId, Cursor cursor, Instant lastActivityAt) {
}
