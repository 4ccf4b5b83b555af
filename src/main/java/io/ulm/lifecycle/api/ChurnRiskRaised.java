package io.ulm.lifecycle.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * The user's churn risk crossed the configured threshold (the trigger of win-back campaigns). {@code at} is the
 * event-time watermark the scoring ran at; {@code evidence} holds the model's inputs that contributed most.
 */
@Revision("1")
public record ChurnRiskRaised(String userId, double score, double threshold, long modelId, int modelVersion, Instant at,
                              Map<String, Object> evidence) {
}
