package io.ulm.model.churn;

/** Anything that ranks users by churn risk: a higher score means more likely to churn. */
public interface ChurnScorer {

    /** One score per row of {@code data}, in its order. */
    double[] score(ChurnDataset data);

    /** Whether the scores are calibrated probabilities (then the Brier score means something). */
    default boolean probabilities() {
        return true;
    }
}
