package io.ulm.model.churn;

import java.time.Duration;
import java.time.Instant;

/**
 * BG/NBD as a churn baseline with parameters fitted on the training users. The default score is 1 − P(alive | x,
 * t_x, T); {@link #noPurchaseWithin} scores P(no purchase in the next H) instead, which matches the churn label and
 * does not call every customer without repeat purchases "alive for sure".
 */
public final class BgNbdScorer implements ChurnScorer {

    private final BgNbd model;
    private final double horizonDays;

    private BgNbdScorer(BgNbd model, double horizonDays) {
        this.model = model;
        this.horizonDays = horizonDays;
    }

    /** Score 1 − P(alive). */
    public static BgNbdScorer notAlive(BgNbd model) {
        return new BgNbdScorer(model, Double.NaN);
    }

    /** Score P(no purchase within the data set's horizon). */
    public static BgNbdScorer noPurchaseWithin(BgNbd model, Duration horizon) {
        return new BgNbdScorer(model, CutoffGuard.days(Instant.EPOCH, Instant.EPOCH.plus(horizon)));
    }

    /** Fits on the training rows' (x, t_x, T); labels are not used (BG/NBD is unsupervised). */
    public static BgNbd fit(ChurnDataset train) {
        return BgNbd.fit(train.repeatPurchases());
    }

    @Override
    public double[] score(ChurnDataset data) {
        return data.repeatPurchases().stream()
                .mapToDouble(c -> Double.isNaN(horizonDays) ? 1 - model.pAlive(c) : model.pNoPurchase(horizonDays, c))
                .toArray();
    }

    /**
     * Both scores are probabilities, so Brier is reported; 1 − P(alive) is the probability of a different event
     * than the label (dropped out, not "no activity within H"), which its Brier score shows.
     */
    @Override
    public boolean probabilities() {
        return true;
    }

    public BgNbd model() {
        return model;
    }
}
