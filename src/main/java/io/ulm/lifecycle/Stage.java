package io.ulm.lifecycle;

/**
 * Lifecycle stages. The "value ladder" (ACQUIRED to LOYAL, with REACTIVATED beside ACTIVATED) only
 * moves up on activity; AT_RISK and CHURNED are reached by inactivity and left by reactivation.
 */
public enum Stage {
    ACQUIRED(0),
    ACTIVATED(1),
    ENGAGED(2),
    MONETIZED(3),
    LOYAL(4),
    AT_RISK(-1),
    CHURNED(-1),
    REACTIVATED(1);

    private final int rank;

    Stage(int rank) {
        this.rank = rank;
    }

    /** Position on the value ladder; negative for the inactivity stages. */
    public int rank() {
        return rank;
    }

    public boolean inactive() {
        return rank < 0;
    }
}
