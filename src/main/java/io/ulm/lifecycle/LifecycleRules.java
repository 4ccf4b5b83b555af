package io.ulm.lifecycle;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The declarative stage rules of {@code projections/lifecycle-rules.yaml}, validated on load.
 * Plain data: the evaluator reads it, nothing here knows about YAML or Quarkus.
 */
public record LifecycleRules(int version, ZoneId timeZone, Classification classification, Rules rules) {

    public LifecycleRules {
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(rules, "rules");
    }

    public record Classification(List<String> activityTypes, List<String> coreTypes, List<String> coreEvents,
                                 List<String> nonCoreEvents, List<String> purchaseEvents, List<String> refundEvents) {
        public Classification {
            activityTypes = List.copyOf(activityTypes);
            coreTypes = List.copyOf(coreTypes);
            coreEvents = List.copyOf(coreEvents);
            nonCoreEvents = List.copyOf(nonCoreEvents);
            purchaseEvents = List.copyOf(purchaseEvents);
            refundEvents = List.copyOf(refundEvents);
        }
    }

    public record Rules(Simple acquired, Activated activated, Engaged engaged, Simple monetized, Loyal loyal,
                        Inactivity atRisk, Inactivity churned, Simple reactivated) {
        public Rules {
            if (churned.inactiveFor().compareTo(atRisk.inactiveFor()) <= 0) {
                throw new IllegalArgumentException("rules.churned.inactiveFor must be longer than rules.atRisk.inactiveFor");
            }
        }

        /** How far back any rule looks: the history the aggregate must keep. */
        public Duration horizon() {
            Duration longest = churned.inactiveFor();
            for (Duration d : List.of(activated.within(), engaged.window(), loyal.window())) {
                if (d.compareTo(longest) > 0) {
                    longest = d;
                }
            }
            return longest;
        }
    }

    public record Simple(String id) {
        public Simple {
            requireId(id);
        }
    }

    public record Activated(String id, int coreActions, Duration within) {
        public Activated {
            requireId(id);
            requirePositive(coreActions, "activated.coreActions");
            requirePositive(within, "activated.within");
        }
    }

    public record Engaged(String id, int activeDays, Duration window) {
        public Engaged {
            requireId(id);
            requirePositive(activeDays, "engaged.activeDays");
            requirePositive(window, "engaged.window");
        }
    }

    public record Loyal(String id, int purchases, Duration window) {
        public Loyal {
            requireId(id);
            requirePositive(purchases, "loyal.purchases");
            requirePositive(window, "loyal.window");
        }
    }

    public record Inactivity(String id, Duration inactiveFor) {
        public Inactivity {
            requireId(id);
            requirePositive(inactiveFor, id + ".inactiveFor");
        }
    }

    private static void requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("every rule needs an id");
        }
    }

    private static void requirePositive(int value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }

    private static void requirePositive(Duration value, String field) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive ISO-8601 duration, was " + value);
        }
    }
}
