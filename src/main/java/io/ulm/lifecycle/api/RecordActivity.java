package io.ulm.lifecycle.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/**
 * Records what one user did (the messages of one request, batched per user) and lets the stage
 * rules decide up to the watermark {@code decideUpTo} (null: record only, decide later).
 */
public record RecordActivity(@TargetAggregateIdentifier String userId, List<Observation> observations,
                             Instant decideUpTo) {
    public RecordActivity {
        observations = List.copyOf(observations);
    }
}
