package io.ulm.lifecycle.api;

import java.time.Instant;

/**
 * What a lifecycle command answers: when the user next needs a decision (null: only when she acts
 * again) and the aggregate's version after the command (its last event sequence number, -1 if none).
 */
public record LifecycleDecision(Instant nextDueAt, long version) {
}
