package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** ULM saw the user for the first time (the earliest message in event time). */
@Revision("1")
public record UserAcquired(String userId, Instant at, String messageId) {
}
