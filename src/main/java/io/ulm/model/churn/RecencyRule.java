package io.ulm.model.churn;

/** The baseline every model must beat: the longer she has been inactive, the likelier she churned. */
public final class RecencyRule implements ChurnScorer {

    @Override
    public double[] score(ChurnDataset data) {
        double[] scores = new double[data.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = data.features()[i][Features.RECENCY_DAYS];
        }
        return scores;
    }

    /** Days, not a probability. */
    @Override
    public boolean probabilities() {
        return false;
    }
}
