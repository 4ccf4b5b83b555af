package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An alias message: the user says {@code previousId} was hers. Recorded whether or not it created a
 * link (the first link of an id wins); the links it did create follow as {@link IdentityLinked}.
 */
@Revision("1")
public record AliasRecorded(String userId, String messageId, Instant at, String previousId) {
}
