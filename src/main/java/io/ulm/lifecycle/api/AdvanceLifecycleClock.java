package io.ulm.lifecycle.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** The event-time watermark has reached {@code upTo}: decide every rule that is due by then. */
public record AdvanceLifecycleClock(@TargetAggregateIdentifier String userId, Instant upTo) {
}
