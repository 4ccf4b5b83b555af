package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Another id ({@code linkedId}: an anonymousId, or a previousId from alias) now resolves to this user.
 * Messages sent later under the linked id are recorded on this user.
 */
@Revision("1")
public record IdentityLinked(String userId, String linkedId, String via, String messageId, Instant at) {
}
