package io.ulm.lifecycle;

import java.util.List;

/**
 * How the lifecycle rules classify one message. Decided once, when the message is recorded, and
 * stored in the event: a later change of the rules file changes future decisions, never the past.
 */
public record ActivityKind(boolean activity, boolean core, boolean purchase, boolean refund) {

    public static final ActivityKind NONE = new ActivityKind(false, false, false, false);

    /** Classifies a message by its type ({@code track}, {@code page}, ...) and its event name. */
    public static ActivityKind classify(LifecycleRules.Classification c, String type, String event) {
        boolean activity = c.activityTypes().contains(type);
        if (!activity) {
            return NONE;
        }
        boolean track = "track".equals(type);
        boolean purchase = track && c.purchaseEvents().contains(event);
        boolean refund = track && c.refundEvents().contains(event);
        boolean core = c.coreTypes().contains(type) && matches(c.coreEvents(), event) && !matches(c.nonCoreEvents(), event);
        return new ActivityKind(true, core, purchase, refund);
    }

    private static boolean matches(List<String> patterns, String event) {
        return patterns.contains("*") || (event != null && patterns.contains(event));
    }
}
