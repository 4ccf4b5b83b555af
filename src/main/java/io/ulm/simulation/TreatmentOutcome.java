package io.ulm.simulation;

/**
 * What happened to one treated (or held-out) user: mutable while the simulation runs, read into {@link GroundTruth}.
 * "Natural return" = her own behaviour brought her back within the window; "caused" = the treatment did (drawn
 * from her TREATMENT stream, independently of her natural behaviour, which is identical with or without treatment).
 */
final class TreatmentOutcome {

    final long treatedAt;
    final String arm;
    final boolean holdout;
    private final long windowEnd;
    private boolean naturalReturn;
    private long causedReturnAt = Long.MIN_VALUE;

    TreatmentOutcome(long treatedAt, String arm, boolean holdout, long windowMillis) {
        this.treatedAt = treatedAt;
        this.arm = arm;
        this.holdout = holdout;
        this.windowEnd = treatedAt + windowMillis;
    }

    void observeNatural(long at) {
        if (at >= treatedAt && at < windowEnd) {
            naturalReturn = true;
        }
    }

    void caused(long at) {
        causedReturnAt = at;
    }

    boolean naturalReturn() {
        return naturalReturn;
    }

    boolean causedReturn() {
        return causedReturnAt != Long.MIN_VALUE;
    }

    long causedReturnAt() {
        return causedReturnAt;
    }
}
