package io.ulm.lifecycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An identify message: traits as of {@code at}; personal values are encrypted with the user's key. */
@Revision("1")
public record TraitsUpdated(String userId, String messageId, Instant at, JsonNode traits, JsonNode context) {
}
