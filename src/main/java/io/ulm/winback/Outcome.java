package io.ulm.winback;

/**
 * The end of a win-back (arms and holdout alike): WON_BACK when she is active again within the outcome window
 * from entry, LOST when the window has passed without activity (the window is at least as long as every arm's
 * steps, so LOST comes after the last step), PENDING before that. ERASED is set by erasure (privacy.Erasure), never
 * by the policy: her outcome is unknown, so results count her as entered but neither running nor decided.
 */
public enum Outcome {
    PENDING,
    WON_BACK,
    LOST,
    ERASED
}
