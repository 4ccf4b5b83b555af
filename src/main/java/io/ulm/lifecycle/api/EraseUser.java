package io.ulm.lifecycle.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Erase the user (io.ulm.privacy, docs/privacy.md): record {@link UserErased} on her stream; afterwards her aggregate
 * records and decides nothing more. {@code pseudonym} replaces her id in the aggregate-only read models (analytics).
 */
public record EraseUser(@TargetAggregateIdentifier String userId, String pseudonym, Instant requestedAt, String requestedBy) {
}
