package io.ulm.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A user's timeline: every event of her log as an entry, in event-time order, each message with the stage
 * transitions it caused (rule, evidence). Pure: built from the events read by {@link AuditLog}.
 *
 * <ul>
 *   <li>A <em>message</em> (ActivityRecorded, TraitsUpdated, GroupJoined, AliasRecorded) is one entry; the
 *       {@code StageChanged} events whose {@code causeMessageId} is its messageId are its {@code transitions}, in
 *       the order they were decided (a first purchase: ACQUIRED then MONETIZED).</li>
 *   <li>A {@code StageChanged} without a cause (inactivity: AT_RISK, CHURNED) is an entry of its own at its event
 *       time, the instant the threshold was crossed.</li>
 *   <li>Every other event ({@code UserAcquired}, {@code IdentityLinked}, and types this code does not know, such as
 *       segment entries and exits) is an entry of its own: type, event time (its {@code at}) and payload.</li>
 * </ul>
 * Entries are ordered by event time; at the same instant an inactivity transition comes first (the rules decide
 * it before any message of that instant), then log order. A page continues after the entry whose sequence
 * number is {@code after}.
 */
public final class Timeline {

    /** Event types that record one message of the user; their {@code messageId} can cause transitions. */
    static final Set<String> MESSAGE_TYPES = Set.of("ActivityRecorded", "TraitsUpdated", "GroupJoined", "AliasRecorded");
    static final String STAGE_CHANGED = "StageChanged";

    /** A stage transition: where from and to, when (event time), when it was decided (stored), which rule on what evidence. */
    public record Transition(long sequence, Instant at, Instant storedAt, String from, String to, String ruleId,
                             JsonNode evidence) {
    }

    /**
     * One entry: the event's sequence number in the user's log, event time, stored time, type, the message it
     * records or comes from, whether the message arrived late (after the rules had decided past its time), a
     * readable summary, the transitions it caused, and the stored payload (personal values masked or revealed).
     */
    public record Entry(long sequence, Instant at, Instant storedAt, String type, String messageId, boolean late,
                        String summary, List<Transition> transitions, JsonNode payload,
                        @JsonInclude(JsonInclude.Include.NON_NULL) WinbackReturn winback) {

        Entry(long sequence, Instant at, Instant storedAt, String type, String messageId, boolean late, String summary,
              List<Transition> transitions, JsonNode payload) {
            this(sequence, at, storedAt, type, messageId, late, summary, transitions, payload, null);
        }

        /** The same entry, attributed to the win-back episode it ended. */
        Entry attributed(WinbackReturn episode) {
            return new Entry(sequence, at, storedAt, type, messageId, late, summary, transitions, payload, episode);
        }
    }

    /**
     * A win-back episode. On a message: it was her return, the first activity inside the episode's outcome window, which
     * ended it WON_BACK (and, if she was AT_RISK or CHURNED, made her REACTIVATED: the transition beside it). On the
     * trigger (her AT_RISK transition or churn risk raised at {@code enteredAt}): the episode it started, with its
     * outcome so far. {@code historic}: it was over in event time when the saga saw the trigger (imported history),
     * so nothing of it was sent. Event times.
     */
    public record WinbackReturn(String winbackId, String campaignId, String arm, String outcome, Instant enteredAt,
                                Instant returnedAt, boolean historic) {
    }

    /** A page of the timeline; {@code next} is the {@code after} of the next page (absent on the last page). */
    public record Page(String userId, int events, List<Entry> entries,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long next) {
    }

    /** {@code after} names no entry of the timeline. */
    static final class UnknownPosition extends RuntimeException {
        UnknownPosition(long after) {
            super("no entry of this timeline has sequence number " + after);
        }
    }

    private Timeline() {
    }

    /**
     * The page of {@code userId}'s timeline after entry {@code after} (null: from the start), at most {@code limit}
     * entries; {@code show} masks or reveals personal values of each payload.
     */
    static Page page(String userId, List<AuditLog.LoggedEvent> events, Long after, int limit, UnaryOperator<JsonNode> show) {
        List<Entry> entries = entries(events, show);
        int from = 0;
        if (after != null) {
            from = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).sequence() == after) {
                    from = i + 1;
                    break;
                }
            }
            if (from < 0) {
                throw new UnknownPosition(after);
            }
        }
        int to = Math.min(entries.size(), from + limit);
        List<Entry> page = entries.subList(from, to);
        Long next = to < entries.size() && !page.isEmpty() ? page.get(page.size() - 1).sequence() : null;
        return new Page(userId, events.size(), List.copyOf(page), next);
    }

    /** Every entry of the timeline, in order. */
    static List<Entry> entries(List<AuditLog.LoggedEvent> events, UnaryOperator<JsonNode> show) {
        record Item(AuditLog.LoggedEvent event, JsonNode json, Instant at) {
        }
        List<Item> items = new ArrayList<>(events.size());
        Map<String, Integer> messages = new HashMap<>();
        Instant previous = null;
        for (AuditLog.LoggedEvent e : events) {
            JsonNode json = e.json();
            Instant at = EventTime.of(json);
            // an event without an event time sits where it was recorded: at the time of the event before it
            at = at != null ? at : previous != null ? previous : e.storedAt();
            previous = at;
            items.add(new Item(e, json, at));
            if (MESSAGE_TYPES.contains(e.simpleType()) && json.hasNonNull("messageId")) {
                messages.putIfAbsent(json.get("messageId").asText(), items.size() - 1);
            }
        }
        Map<Integer, List<Transition>> caused = new HashMap<>();
        List<Integer> standalone = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (STAGE_CHANGED.equals(item.event().simpleType())) {
                Integer cause = item.json().hasNonNull("causeMessageId") ? messages.get(item.json().get("causeMessageId").asText()) : null;
                if (cause != null) {
                    caused.computeIfAbsent(cause, k -> new ArrayList<>()).add(transition(item.event(), item.json(), item.at()));
                    continue;
                }
            }
            standalone.add(i);
        }
        List<Entry> entries = new ArrayList<>(standalone.size());
        for (int index : standalone) {
            Item item = items.get(index);
            AuditLog.LoggedEvent e = item.event();
            JsonNode json = item.json();
            String type = e.simpleType();
            List<Transition> transitions;
            if (STAGE_CHANGED.equals(type)) {
                transitions = List.of(transition(e, json, item.at()));
            } else {
                transitions = List.copyOf(caused.getOrDefault(index, List.of()));
            }
            entries.add(new Entry(e.sequence(), item.at(), e.storedAt(), type, text(json, "messageId"),
                    json.path("late").asBoolean(false), summary(type, json), transitions, show.apply(json)));
        }
        entries.sort(Comparator.comparing(Entry::at).thenComparingInt(Timeline::rank).thenComparingLong(Entry::sequence));
        return entries;
    }

    /** At the same instant, an inactivity transition comes before the messages (the rules decide it first). */
    private static int rank(Entry e) {
        return STAGE_CHANGED.equals(e.type()) ? 0 : 1;
    }

    private static Transition transition(AuditLog.LoggedEvent e, JsonNode json, Instant at) {
        return new Transition(e.sequence(), at, e.storedAt(), text(json, "from"), text(json, "to"), text(json, "ruleId"),
                json.get("evidence"));
    }

    /** A one-line description: message type and event name, trait names (never their values), link, or rule. */
    static String summary(String type, JsonNode json) {
        switch (type) {
            case "ActivityRecorded": {
                StringBuilder s = new StringBuilder(text(json, "type") == null ? "activity" : text(json, "type"));
                if (json.hasNonNull("event")) {
                    s.append(" \"").append(json.get("event").asText()).append('"');
                }
                List<String> details = new ArrayList<>();
                if (json.hasNonNull("revenue")) {
                    details.add("revenue " + json.get("revenue").asText() + (json.hasNonNull("currency") ? " " + json.get("currency").asText() : ""));
                }
                if (json.path("itemIds").isArray() && !json.get("itemIds").isEmpty()) {
                    List<String> ids = new ArrayList<>();
                    json.get("itemIds").forEach(i -> ids.add(i.asText()));
                    details.add("items " + String.join(", ", ids));
                }
                if (!details.isEmpty()) {
                    s.append(": ").append(String.join("; ", details));
                }
                return s.toString();
            }
            case "TraitsUpdated":
                return "identify: " + names("traits", json.get("traits"));
            case "GroupJoined":
                return "group \"" + json.path("groupId").asText() + "\": " + names("traits", json.get("traits"));
            case "AliasRecorded":
                return "alias: previousId \"" + json.path("previousId").asText() + "\"";
            case "IdentityLinked":
                return "linked: " + json.path("linkedId").asText() + " now resolves to " + json.path("userId").asText()
                        + " (by " + json.path("via").asText() + ")";
            case "UserAcquired":
                return "acquired: first message " + json.path("messageId").asText();
            case STAGE_CHANGED:
                return (json.hasNonNull("from") ? json.get("from").asText() : "(none)") + " -> " + json.path("to").asText()
                        + " by rule " + json.path("ruleId").asText()
                        + (json.hasNonNull("causeMessageId") ? "" : " (inactivity)");
            default:
                return type + scalars(json);
        }
    }

    private static String names(String label, JsonNode object) {
        if (object == null || !object.isObject() || object.isEmpty()) {
            return "no " + label;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return label + " " + String.join(", ", names);
    }

    /** The scalar fields of an event of an unknown type, but its user and time (shown anyway). */
    private static String scalars(JsonNode json) {
        if (json == null || !json.isObject()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isValueNode() && !f.getValue().isNull() && !"userId".equals(f.getKey()) && !"at".equals(f.getKey())) {
                parts.add(f.getKey() + "=" + f.getValue().asText());
            }
        }
        return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json == null ? null : json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
