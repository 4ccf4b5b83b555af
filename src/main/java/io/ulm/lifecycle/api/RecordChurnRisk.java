package io.ulm.lifecycle.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

/**
 * The churn scoring job (io.ulm.model) scored the user at the event-time watermark {@code at} with the active churn
 * model at or above the threshold. The aggregate raises the risk once per episode: again only after she has been
 * active since the last raise, so a re-run of the job never raises it twice.
 */
public record RecordChurnRisk(@TargetAggregateIdentifier String userId, double score, double threshold, long modelId,
                              int modelVersion, Instant at, Map<String, Object> evidence) {

    public RecordChurnRisk {
        evidence = Map.copyOf(evidence);
    }
}
