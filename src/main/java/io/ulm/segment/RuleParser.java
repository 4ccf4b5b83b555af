package io.ulm.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.Stage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads one rule segment file into a {@link RuleDefinition}, checking everything that can be checked without
 * a database, and fails on the first problem with the file, line and column of the value at fault. The
 * grammar and every message are in docs/segments.md.
 */
final class RuleParser {

    static final Set<String> TOP_KEYS = Set.of("id", "name", "description", "when");
    static final List<String> SUBJECTS = List.of("all", "any", "not", "profile", "trait", "stage", "events", "interest");
    private static final String ID = "[a-z0-9][a-z0-9-]{0,62}";

    private final LocatedYaml yaml;
    private final Set<String> personalTraits;

    private RuleParser(LocatedYaml yaml, Set<String> personalTraits) {
        this.yaml = yaml;
        this.personalTraits = personalTraits;
    }

    /** Parses the text of {@code file}; {@code personalTraits} may not appear in a trait condition. */
    static RuleDefinition parse(String file, String text, Set<String> personalTraits) {
        LocatedYaml yaml = LocatedYaml.parse(file, text);
        return new RuleParser(yaml, personalTraits).definition(checksum(text));
    }

    private RuleDefinition definition(String version) {
        JsonNode root = yaml.root();
        if (!root.isObject()) {
            throw yaml.error("", "a segment definition is a mapping with the keys id, name, description and when");
        }
        unknownKeys(root, "", TOP_KEYS, "id, name, description, when");
        String id = text(root, "", "id");
        if (!id.matches(ID)) {
            throw yaml.error("/id", "id '" + id + "' must be lower-case letters, digits and '-' (at most 63, starting with a letter or digit)");
        }
        String name = text(root, "", "name");
        String description = root.has("description") ? text(root, "", "description") : "";
        if (!root.has("when")) {
            throw yaml.error("", "missing key 'when' (the segment's condition)");
        }
        return new RuleDefinition(id, name, description, yaml.file(), version, condition(root.get("when"), "/when"));
    }

    private Condition condition(JsonNode node, String at) {
        if (!node.isObject()) {
            throw yaml.error(at, "a condition is a mapping with one of " + String.join(", ", SUBJECTS));
        }
        List<String> subjects = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (SUBJECTS.contains(k)) {
                subjects.add(k);
            }
        });
        if (subjects.size() != 1) {
            throw yaml.error(at, "a condition needs exactly one of " + String.join(", ", SUBJECTS)
                    + (subjects.isEmpty() ? "; found none" : "; found " + String.join(" and ", subjects)));
        }
        String subject = subjects.get(0);
        String here = at + "/" + subject;
        JsonNode value = node.get(subject);
        return switch (subject) {
            case "all", "any" -> {
                unknownKeys(node, at, Set.of(subject), "nothing else beside '" + subject + "'");
                if (!value.isArray() || value.isEmpty()) {
                    throw yaml.error(here, "'" + subject + "' needs a non-empty list of conditions");
                }
                List<Condition> parts = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    parts.add(condition(value.get(i), here + "/" + i));
                }
                yield subject.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
            }
            case "not" -> {
                unknownKeys(node, at, Set.of("not"), "nothing else beside 'not'");
                yield new Condition.Not(condition(value, here));
            }
            case "stage" -> stage(node, at, value);
            case "profile" -> {
                String field = name(value, here, "a profile field");
                if (!RuleSql.PROFILE_FIELDS.containsKey(field)) {
                    throw yaml.error(here, "unknown profile field '" + field + "' (known: " + String.join(", ", RuleSql.PROFILE_FIELDS.keySet()) + ")");
                }
                yield new Condition.ProfileField(field, comparison(node, at, Set.of(subject), true, false));
            }
            case "trait" -> {
                String trait = name(value, here, "a trait name");
                if (personalTraits.contains(trait)) {
                    throw yaml.error(here, "trait '" + trait + "' is personal data (ulm.privacy.personal-traits): segments use non-personal traits only");
                }
                yield new Condition.Trait(trait, comparison(node, at, Set.of(subject), false, true));
            }
            case "events" -> {
                String measure = name(value, here, "a measure");
                if (!RuleSql.MEASURES.containsKey(measure)) {
                    throw yaml.error(here, "unknown measure '" + measure + "' (known: " + String.join(", ", RuleSql.MEASURES.keySet()) + ")");
                }
                yield new Condition.EventCount(measure, days(node, at), comparison(node, at, Set.of(subject, "within"), true, false));
            }
            default -> {
                String category = name(value, here, "a category");
                Condition.Comparison c = hasOperator(node) ? comparison(node, at, Set.of(subject), true, false)
                        : new Condition.Comparison(Condition.Operator.GT, List.of(BigDecimal.ZERO));
                yield new Condition.Interest(category, c, yaml.where(here));
            }
        };
    }

    private Condition stage(JsonNode node, String at, JsonNode value) {
        unknownKeys(node, at, Set.of("stage"), "nothing else beside 'stage' (use not: to negate)");
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray() && !value.isEmpty()) {
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode s = items.get(i);
            String where = value.isArray() ? at + "/stage/" + i : at + "/stage";
            if (!s.isTextual() || Arrays.stream(Stage.values()).noneMatch(x -> x.name().equals(s.asText()))) {
                throw yaml.error(where, "unknown stage " + s + " (stages: " + Arrays.toString(Stage.values()) + ")");
            }
            stages.add(s.asText());
        }
        return new Condition.StageIn(stages);
    }

    private int days(JsonNode node, String at) {
        JsonNode within = node.get("within");
        if (within == null) {
            throw yaml.error(at, "an events condition needs 'within' (the window before the watermark, e.g. P30D)");
        }
        try {
            Duration d = Duration.parse(within.asText());
            if (within.isTextual() && !d.isNegative() && d.toDays() >= 1 && d.equals(Duration.ofDays(d.toDays())) && d.toDays() <= 36_600) {
                return (int) d.toDays();
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw yaml.error(at + "/within", "'within' must be a whole number of days as ISO-8601, e.g. P30D, not " + within);
    }

    private static boolean hasOperator(JsonNode node) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (Condition.Operator.of(it.next()) != null) {
                return true;
            }
        }
        return false;
    }

    /** Exactly one operator beside the {@code allowed} keys; its operand checked. */
    private Condition.Comparison comparison(JsonNode node, String at, Set<String> allowed, boolean numeric, boolean trait) {
        Condition.Operator operator = null;
        String key = null;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (allowed.contains(k)) {
                continue;
            }
            Condition.Operator o = Condition.Operator.of(k);
            if (o == null || (o == Condition.Operator.EXISTS && !trait)) {
                String known = trait ? Condition.Operator.keys() : Condition.Operator.keys().replace(", exists", "");
                throw yaml.error(at + "/" + k, "unknown operator '" + k + "' (expected one of " + known + ")");
            }
            if (operator != null) {
                throw yaml.error(at + "/" + k, "one operator per condition: found '" + key + "' and '" + k + "' (combine conditions with all:)");
            }
            operator = o;
            key = k;
        }
        if (operator == null) {
            throw yaml.error(at, "missing operator (one of " + Condition.Operator.keys() + ")");
        }
        return new Condition.Comparison(operator, operands(node.get(key), at + "/" + key, operator, numeric));
    }

    private List<Object> operands(JsonNode v, String at, Condition.Operator o, boolean numeric) {
        String k = "'" + o.key + "'";
        switch (o) {
            case EXISTS -> {
                if (!v.isBoolean()) {
                    throw yaml.error(at, k + " needs true or false, not " + v);
                }
                return List.of(v.asBoolean());
            }
            case BETWEEN -> {
                if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()
                        || v.get(0).decimalValue().compareTo(v.get(1).decimalValue()) > 0) {
                    throw yaml.error(at, k + " needs two numbers [low, high] with low <= high, not " + v);
                }
                return List.of(v.get(0).decimalValue(), v.get(1).decimalValue());
            }
            case IN, NOT_IN -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw yaml.error(at, k + " needs a non-empty list, not " + v);
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    values.add(scalar(v.get(i), at + "/" + i, k, numeric));
                }
                return values;
            }
            default -> {
                boolean order = o == Condition.Operator.GT || o == Condition.Operator.GTE || o == Condition.Operator.LT || o == Condition.Operator.LTE;
                return List.of(scalar(v, at, k, numeric || order));
            }
        }
    }

    private Object scalar(JsonNode v, String at, String operator, boolean numeric) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (numeric) {
            throw yaml.error(at, operator + " needs a number, not " + v);
        }
        if (v.isTextual() || v.isBoolean()) {
            return v.asText();
        }
        throw yaml.error(at, operator + " needs a text, number or boolean, not " + v);
    }

    private String name(JsonNode value, String at, String what) {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw yaml.error(at, "expected " + what + ", not " + value);
        }
        return value.asText();
    }

    private String text(JsonNode node, String at, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw yaml.error(at, "missing key '" + key + "'");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw yaml.error(at + "/" + key, "'" + key + "' must be a non-empty text, not " + v);
        }
        return v.asText();
    }

    private void unknownKeys(JsonNode node, String at, Set<String> known, String expected) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw yaml.error(at + "/" + k, "unknown key '" + k + "' (expected " + expected + ")");
            }
        }
    }

    private static String checksum(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
