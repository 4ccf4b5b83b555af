package io.ulm.lifecycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A group message: the user belongs to an account, company or household. */
@Revision("1")
public record GroupJoined(String userId, String messageId, Instant at, String groupId, JsonNode traits) {
}
