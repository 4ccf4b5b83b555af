package io.ulm.winback;

/** Whether a candidate enters the campaign, and why (the first reason found, in the order of {@link Reason}). */
public record Decision(boolean eligible, Reason reason, String detail) {

    public enum Reason {
        ELIGIBLE,
        /** the policy does not start on this trigger */
        NOT_A_TRIGGER,
        /** suppression: her personal data was erased */
        ERASED,
        /** suppression: trait {@code unsubscribed} is true */
        UNSUBSCRIBED,
        /** frequency cap: a win-back (of any campaign) is running for her */
        ACTIVE_WINBACK,
        /** frequency cap: the last one ended less than the cooldown ago */
        COOLDOWN,
        BELOW_MIN_CLV,
        /** not in any of {@code segments.anyOf} */
        NOT_IN_SEGMENT,
        /** in one of {@code segments.noneOf} */
        EXCLUDED_SEGMENT
    }

    static Decision yes() {
        return new Decision(true, Reason.ELIGIBLE, "eligible");
    }

    static Decision no(Reason reason, String detail) {
        return new Decision(false, reason, detail);
    }
}
