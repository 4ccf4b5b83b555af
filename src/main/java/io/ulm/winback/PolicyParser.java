package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.segment.LocatedYaml;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one policy file into a {@link WinbackPolicy}, failing on the first problem with the file, line and column
 * of the value at fault ({@link LocatedYaml}, as for rule segments). The format is in docs/winback.md.
 */
final class PolicyParser {

    static final String ID = "[a-z0-9][a-z0-9-]{0,62}";
    static final List<String> TOP_KEYS = List.of("campaign", "name", "description", "trigger", "eligibility", "holdout",
            "arms", "tiers", "outcome");
    static final List<String> STEP_KINDS = List.of("reminder", "offer", "wait");
    static final int MAX_ITEMS = 50;

    private final LocatedYaml yaml;

    private PolicyParser(LocatedYaml yaml) {
        this.yaml = yaml;
    }

    static WinbackPolicy parse(String file, String text) {
        return new PolicyParser(LocatedYaml.parse(file, text)).policy();
    }

    private WinbackPolicy policy() {
        JsonNode root = yaml.root();
        if (!root.isObject()) {
            throw yaml.error("", "a win-back policy is a mapping with the keys " + String.join(", ", TOP_KEYS));
        }
        keys(root, "", TOP_KEYS);
        String campaign = id(root, "", "campaign");
        String name = root.has("name") ? text(root, "", "name") : campaign;
        Set<Trigger> triggers = triggers(required(root, "", "trigger", "the triggers: AT_RISK and/or CHURN_RISK_RAISED"));
        Eligibility eligibility = eligibility(root.get("eligibility"));
        double holdout = number(root, "", "holdout", true).doubleValue();
        if (!(holdout >= 0 && holdout < 1)) {
            throw yaml.error("/holdout", "holdout is a share in [0, 1), got " + holdout);
        }
        List<Tier> tiers = tiers(root.get("tiers"));
        Duration window = duration(required(required(root, "", "outcome", "the outcome window"), "/outcome", "window",
                "the outcome window, e.g. P14D"), "/outcome/window");
        keys(root.get("outcome"), "/outcome", List.of("window"));
        List<Arm> arms = arms(required(root, "", "arms", "the treatment arms"), tiers, window);
        return new WinbackPolicy(campaign, name, yaml.file(), triggers, eligibility, holdout, arms, tiers, window);
    }

    private Set<Trigger> triggers(JsonNode node) {
        Set<Trigger> out = EnumSet.noneOf(Trigger.class);
        List<JsonNode> items = list(node, "/trigger");
        for (int i = 0; i < items.size(); i++) {
            String at = node.isArray() ? "/trigger/" + i : "/trigger";
            JsonNode t = items.get(i);
            if (!t.isTextual() || Arrays.stream(Trigger.values()).noneMatch(x -> x.name().equals(t.asText()))) {
                throw yaml.error(at, "unknown trigger " + t + " (triggers: " + Arrays.toString(Trigger.values()) + ")");
            }
            out.add(Trigger.valueOf(t.asText()));
        }
        return out;
    }

    private Eligibility eligibility(JsonNode node) {
        if (node == null) {
            return new Eligibility(null, Set.of(), Set.of(), true, Eligibility.DEFAULT_COOLDOWN);
        }
        String at = "/eligibility";
        mapping(node, at);
        keys(node, at, List.of("minClv", "segments", "suppressUnsubscribed", "cooldown"));
        BigDecimal minClv = node.has("minClv") ? number(node, at, "minClv", false) : null;
        Set<String> anyOf = Set.of();
        Set<String> noneOf = Set.of();
        if (node.has("segments")) {
            JsonNode s = node.get("segments");
            mapping(s, at + "/segments");
            keys(s, at + "/segments", List.of("anyOf", "noneOf"));
            anyOf = s.has("anyOf") ? strings(s.get("anyOf"), at + "/segments/anyOf") : Set.of();
            noneOf = s.has("noneOf") ? strings(s.get("noneOf"), at + "/segments/noneOf") : Set.of();
        }
        boolean suppress = true;
        if (node.has("suppressUnsubscribed")) {
            if (!node.get("suppressUnsubscribed").isBoolean()) {
                throw yaml.error(at + "/suppressUnsubscribed", "suppressUnsubscribed is true or false");
            }
            suppress = node.get("suppressUnsubscribed").booleanValue();
        }
        Duration cooldown = node.has("cooldown") ? duration(node.get("cooldown"), at + "/cooldown") : Eligibility.DEFAULT_COOLDOWN;
        return new Eligibility(minClv, anyOf, noneOf, suppress, cooldown);
    }

    private List<Tier> tiers(JsonNode node) {
        List<Tier> tiers = new ArrayList<>();
        if (node == null) {
            return tiers;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw yaml.error("/tiers", "tiers is a non-empty list of {id, discount, when}");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/tiers/" + i;
            JsonNode t = node.get(i);
            mapping(t, at);
            keys(t, at, List.of("id", "discount", "when"));
            String id = id(t, at, "id");
            if (!ids.add(id)) {
                throw yaml.error(at + "/id", "tier '" + id + "' is defined twice");
            }
            BigDecimal discount = number(t, at, "discount", true);
            if (discount.signum() <= 0 || discount.compareTo(BigDecimal.ONE) > 0) {
                throw yaml.error(at + "/discount", "discount is a fraction in (0, 1] (0.15 = 15 %), got " + discount.toPlainString());
            }
            BigDecimal minClv = null;
            Set<String> segments = Set.of();
            if (t.has("when")) {
                JsonNode w = t.get("when");
                mapping(w, at + "/when");
                keys(w, at + "/when", List.of("minClv", "segments"));
                minClv = w.has("minClv") ? number(w, at + "/when", "minClv", false) : null;
                segments = w.has("segments") ? strings(w.get("segments"), at + "/when/segments") : Set.of();
            }
            tiers.add(new Tier(id, discount, minClv, segments));
        }
        if (!tiers.get(tiers.size() - 1).unconditional()) {
            throw yaml.error("/tiers/" + (tiers.size() - 1), "the last tier must have no 'when' (the default tier)");
        }
        return tiers;
    }

    private List<Arm> arms(JsonNode node, List<Tier> tiers, Duration window) {
        if (!node.isArray() || node.isEmpty()) {
            throw yaml.error("/arms", "arms is a non-empty list of {id, weight, steps}");
        }
        List<Arm> arms = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/arms/" + i;
            JsonNode a = node.get(i);
            mapping(a, at);
            keys(a, at, List.of("id", "weight", "steps"));
            String id = id(a, at, "id");
            if (id.equals(Assignment.HOLDOUT) || !ids.add(id)) {
                throw yaml.error(at + "/id", id.equals(Assignment.HOLDOUT) ? "'holdout' is reserved (the holdout is 'holdout: <share>')"
                        : "arm '" + id + "' is defined twice");
            }
            double weight = a.has("weight") ? number(a, at, "weight", false).doubleValue() : 1;
            if (!(weight > 0)) {
                throw yaml.error(at + "/weight", "weight must be > 0, got " + weight);
            }
            Arm arm = new Arm(id, weight, steps(required(a, at, "steps", "the arm's steps"), at + "/steps", tiers));
            if (arm.duration().compareTo(window) > 0) {
                throw yaml.error(at + "/steps", "the steps wait " + days(arm.duration()) + " in all, longer than the outcome window "
                        + days(window) + " (LOST must come after the last step)");
            }
            arms.add(arm);
        }
        return arms;
    }

    private List<Step> steps(JsonNode node, String at, List<Tier> tiers) {
        if (!node.isArray() || node.isEmpty()) {
            throw yaml.error(at, "steps is a non-empty list of reminder, offer and wait steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String here = at + "/" + i;
            JsonNode s = node.get(i);
            if (!s.isObject() || s.size() != 1 || !STEP_KINDS.contains(s.fieldNames().next())) {
                throw yaml.error(here, "a step is a mapping with exactly one of " + String.join(", ", STEP_KINDS)
                        + " (e.g. '- wait: P3D')");
            }
            String kind = s.fieldNames().next();
            JsonNode v = s.get(kind);
            String vAt = here + "/" + kind;
            steps.add(switch (kind) {
                case "wait" -> new Step.Wait(duration(v, vAt));
                case "reminder" -> {
                    mapping(v, vAt);
                    keys(v, vAt, List.of("items"));
                    BigDecimal items = number(v, vAt, "items", true);
                    if (items.stripTrailingZeros().scale() > 0 || items.intValue() < 1 || items.intValue() > MAX_ITEMS) {
                        throw yaml.error(vAt + "/items", "items is a whole number from 1 to " + MAX_ITEMS + ", got " + items.toPlainString());
                    }
                    yield new Step.Reminder(items.intValue());
                }
                default -> {
                    mapping(v, vAt);
                    keys(v, vAt, List.of("tier"));
                    String pinned = v.has("tier") ? text(v, vAt, "tier") : null;
                    if (tiers.isEmpty()) {
                        throw yaml.error(vAt, "an offer step needs 'tiers' (the offer's value tiers)");
                    }
                    if (pinned != null && tiers.stream().noneMatch(t -> t.id().equals(pinned))) {
                        throw yaml.error(vAt + "/tier", "unknown tier '" + pinned + "'");
                    }
                    yield new Step.Offer(pinned);
                }
            });
        }
        if (steps.stream().allMatch(s -> s instanceof Step.Wait)) {
            throw yaml.error(at, "an arm needs at least one reminder or offer step");
        }
        return steps;
    }

    // ----- helpers: each names the value at fault -----

    private void mapping(JsonNode node, String at) {
        if (!node.isObject()) {
            throw yaml.error(at, "expected a mapping, got " + node.getNodeType().name().toLowerCase());
        }
    }

    private void keys(JsonNode node, String at, List<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw yaml.error(at + "/" + k, "unknown key '" + k + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private JsonNode required(JsonNode node, String at, String key, String what) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw yaml.error(at, "missing key '" + key + "' (" + what + ")");
        }
        return v;
    }

    private String text(JsonNode node, String at, String key) {
        JsonNode v = required(node, at, key, "text");
        if (!v.isTextual() || v.asText().isBlank()) {
            throw yaml.error(at + "/" + key, "'" + key + "' must be non-empty text");
        }
        return v.asText();
    }

    private String id(JsonNode node, String at, String key) {
        String id = text(node, at, key);
        if (!id.matches(ID)) {
            throw yaml.error(at + "/" + key, key + " '" + id + "' must be lower-case letters, digits and '-' (at most 63)");
        }
        return id;
    }

    private BigDecimal number(JsonNode node, String at, String key, boolean isRequired) {
        JsonNode v = isRequired ? required(node, at, key, "a number") : node.get(key);
        if (!v.isNumber()) {
            throw yaml.error(at + "/" + key, "'" + key + "' must be a number, got " + v);
        }
        return v.decimalValue();
    }

    private Duration duration(JsonNode v, String at) {
        try {
            if (!v.isTextual()) {
                throw new DateTimeParseException("not text", v.toString(), 0);
            }
            Duration d = Duration.parse(v.asText());
            if (d.isNegative() || d.isZero()) {
                throw yaml.error(at, "a duration must be positive, got " + v.asText());
            }
            return d;
        } catch (DateTimeParseException e) {
            throw yaml.error(at, "expected an ISO-8601 duration such as P3D or PT12H, got " + v);
        }
    }

    /** P30D rather than Duration's PT720H when whole days. */
    static String days(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    private List<JsonNode> list(JsonNode node, String at) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray() && !node.isEmpty()) {
            node.forEach(items::add);
        } else if (!node.isArray()) {
            items.add(node);
        } else {
            throw yaml.error(at, "expected a value or a non-empty list");
        }
        return items;
    }

    private Set<String> strings(JsonNode node, String at) {
        Set<String> out = new LinkedHashSet<>();
        List<JsonNode> items = list(node, at);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual() || items.get(i).asText().isBlank()) {
                throw yaml.error(node.isArray() ? at + "/" + i : at, "expected a segment id such as rfm:at-risk, got " + items.get(i));
            }
            out.add(items.get(i).asText());
        }
        return out;
    }

}
