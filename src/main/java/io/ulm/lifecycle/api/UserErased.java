package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The user's personal data was erased (docs/privacy.md): her data key is destroyed and every read model drops her
 * rows when it sees this event, live or in a replay; the analytics projection keeps her counts under
 * {@code pseudonym} so that funnels and cohorts do not change. {@code erasedAt} is the wall-clock time of the request
 * (an administrative act, not behaviour: no lifecycle rule reads it).
 */
@Revision("1")
public record UserErased(String userId, String pseudonym, Instant erasedAt, String requestedBy) {
}
