package io.ulm.winback;

/**
 * The end of a win-back (arms and holdout alike): WON_BACK when she is active again within the outcome window
 * from entry, LOST when the window has passed without activity (the window is at least as long as every arm's
 * steps, so LOST comes after the last step), PENDING before that.
 */
public enum Outcome {
    PENDING,
    WON_BACK,
    LOST
}
