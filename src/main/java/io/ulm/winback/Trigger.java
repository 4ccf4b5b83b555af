package io.ulm.winback;

/** What makes a user a candidate: she entered stage AT_RISK ({@code StageChanged}), or {@code ChurnRiskRaised}. */
public enum Trigger {
    AT_RISK,
    CHURN_RISK_RAISED
}
