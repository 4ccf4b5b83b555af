package io.ulm.model.recsys;

import java.time.Instant;
import java.util.Objects;

/**
 * One implicit-feedback event: the user interacted with the item at an event time, with a weight (1 for a view,
 * a rating, a purchase; larger for stronger evidence). Weights of repeated user-item pairs add up to a confidence.
 */
public record Interaction(String userId, String itemId, Instant at, double weight) {

    public Interaction {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(at, "at");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive and finite: " + weight);
        }
    }
}
