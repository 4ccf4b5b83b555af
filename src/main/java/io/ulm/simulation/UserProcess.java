package io.ulm.simulation;

/**
 * A user's natural behaviour, the BG/NBD story in event time. Acquisition: identify and a first visit; an activated
 * user's first visit ends with her first ("trial") order, which starts her BG/NBD clock; a visitor who does not
 * activate only views pages and never comes back. While alive, visits start as a Poisson process of rate
 * λ·(1 + sessionsPerPurchase); each is a purchase with probability 1 / (1 + sessionsPerPurchase), so purchases are
 * Poisson(λ) and browsing sessions Poisson(sessionsPerPurchase·λ). After every repeat order she leaves for good with
 * probability p (her BG/NBD dropout); she then only browses, at her session rate, for an exponential fade-out
 * ({@code fadeOutDays}) and her last activity is her true dropout from the service. Nothing after {@code end} is
 * generated.
 */
final class UserProcess extends Process {

    private final long endMillis;
    private final double visitRatePerDay;
    private final double purchaseShare;
    private long visitStart;
    private long dropoutAt = Long.MIN_VALUE;
    private long purchaseDropoutAt = Long.MIN_VALUE;
    private long fadeEnd;
    private TreatmentOutcome treatment;

    UserProcess(SimulationSettings settings, Catalogue catalogue, UserProfile user) {
        super(settings, catalogue, user, Randomness.of(settings.seed(), user.index(), Randomness.Stream.BEHAVIOUR), "n");
        this.endMillis = settings.end().toEpochMilli();
        this.visitRatePerDay = user.lambda() * (1 + settings.sessionsPerPurchase());
        this.purchaseShare = 1 / (1 + settings.sessionsPerPurchase());
        this.visitStart = user.acquiredAtMillis();
        startVisit(visitStart, true, user.activated(), !user.activated());
    }

    @Override
    int rank() {
        return 0;
    }

    @Override
    void afterOrder(long at, boolean first) {
        if (!first && rng.nextDouble() < user.dropout()) {
            purchaseDropoutAt = at;
            fadeEnd = settings.fadeOutDays() > 0 ? at + millis(rng.exponential(1 / settings.fadeOutDays())) : at;
        }
    }

    @Override
    void afterVisit(long lastAt) {
        if (!user.activated()) {
            dropoutAt = lastAt;          // a visitor who never activates never returns
            return;
        }
        boolean fading = purchaseDropoutAt != Long.MIN_VALUE;
        double rate = fading ? visitRatePerDay - user.lambda() : visitRatePerDay;
        // memoryless from the visit's start, kept after its last message so her messages stay in order
        long next = Math.max(visitStart + millis(rng.exponential(rate)), lastAt + gapMillis());
        if (fading && next >= fadeEnd) {
            dropoutAt = lastAt;          // her last activity: gone for good
            return;
        }
        if (next >= endMillis) {
            return;
        }
        visitStart = next;
        startVisit(next, false, !fading && rng.nextDouble() < purchaseShare, false);
    }

    @Override
    void observe(long at) {
        if (treatment != null) {
            treatment.observeNatural(at);
        }
    }

    /** Her last order if she stopped buying (BG/NBD's dropout), else {@link Long#MIN_VALUE}. */
    long purchaseDropoutAt() {
        return purchaseDropoutAt;
    }

    /** Her last activity once she is gone for good (after the fade-out), or {@link Long#MIN_VALUE}. */
    long dropoutAt() {
        return dropoutAt;
    }

    void treated(TreatmentOutcome outcome) {
        this.treatment = outcome;
    }
}
