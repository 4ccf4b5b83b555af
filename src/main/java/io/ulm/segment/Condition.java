package io.ulm.segment;

import java.math.BigDecimal;
import java.util.List;

/**
 * A rule segment's condition, as parsed from YAML (docs/segments.md, "Rule segments"). Each leaf names
 * where its pointer in the file is, so that checks made later (at evaluation) can still name the line.
 */
sealed interface Condition {

    /** Every condition holds. */
    record All(List<Condition> conditions) implements Condition {
    }

    /** At least one condition holds. */
    record Any(List<Condition> conditions) implements Condition {
    }

    /** The condition does not hold. */
    record Not(Condition condition) implements Condition {
    }

    /** A numeric field of the profile (or derived from it at the watermark) compared with a value. */
    record ProfileField(String field, Comparison comparison) implements Condition {
    }

    /** A non-personal trait's current value compared with a value ({@code exists} tests presence). */
    record Trait(String trait, Comparison comparison) implements Condition {
    }

    /** The lifecycle stage is one of these. */
    record StageIn(List<String> stages) implements Condition {
    }

    /** A count (or sum) of the user's activity in the UTC days {@code (W - days, W]}, W the watermark's day. */
    record EventCount(String measure, int days, Comparison comparison) implements Condition {
    }

    /** A category interest weight (features projection) compared with a value; default: any positive weight. */
    record Interest(String category, Comparison comparison, String location) implements Condition {
    }

    /** An operator and its operand(s): one value, two for {@code between}, a list for {@code in}/{@code notIn}. */
    record Comparison(Operator operator, List<Object> values) {
        Object value() {
            return values.get(0);
        }

        boolean numeric() {
            return values.stream().allMatch(v -> v instanceof BigDecimal);
        }
    }

    enum Operator {
        EQ("eq"), NE("ne"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), BETWEEN("between"), IN("in"), NOT_IN("notIn"),
        EXISTS("exists");

        final String key;

        Operator(String key) {
            this.key = key;
        }

        static Operator of(String key) {
            for (Operator o : values()) {
                if (o.key.equals(key)) {
                    return o;
                }
            }
            return null;
        }

        static String keys() {
            return String.join(", ", java.util.Arrays.stream(values()).map(o -> o.key).toList());
        }
    }
}
