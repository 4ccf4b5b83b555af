package io.ulm.interest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.api.ActivityRecorded;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch of events adds to the interest-text tables, folded in memory and written once when the
 * batch commits with its token. Only sums: the result does not depend on batch boundaries or on the order
 * of users, so a replay rebuilds identical rows. Sorted maps: rows are written in key order, so the
 * processor's segments take row locks in one order.
 */
final class InterestBatch {

    record UserItem(String userId, String itemId) implements Comparable<UserItem> {
        @Override
        public int compareTo(UserItem o) {
            int c = userId.compareTo(o.userId);
            return c != 0 ? c : itemId.compareTo(o.itemId);
        }
    }

    record UserText(String userId, String itemId, String term) implements Comparable<UserText> {
        @Override
        public int compareTo(UserText o) {
            int c = userId.compareTo(o.userId);
            c = c != 0 ? c : itemId.compareTo(o.itemId);
            return c != 0 ? c : term.compareTo(o.term);
        }
    }

    /** Text not about one item is the user's only: stored under this item id. */
    static final String NO_ITEM = "";

    private final Map<UserItem, Long> engagements = new TreeMap<>();
    private final Map<UserText, Long> text = new TreeMap<>();

    /**
     * One activity: each item it names is one engagement (an order of five products engages five items);
     * each text property is analysed. Refunds are no interest; identify, group and alias are no activity.
     */
    void on(ActivityRecorded e, TextAnalyzer analyzer, List<String> textProperties) {
        if (e.kind() == null || !e.kind().activity() || e.kind().refund()) {
            return;
        }
        List<String> items = e.itemIds() == null ? List.of() : e.itemIds();
        for (String item : items) {
            engagements.merge(new UserItem(e.userId(), item), 1L, Long::sum);
        }
        if (e.properties() == null || !e.properties().isObject()) {
            return;
        }
        // text of a message naming exactly one item is about that item (a tag, a review) and joins its
        // document for the topic model; with several items or none it cannot be attributed, so stays the user's
        String about = items.size() == 1 ? items.get(0) : NO_ITEM;
        for (String property : textProperties) {
            JsonNode value = e.properties().get(property);
            if (value == null) {
                continue;
            }
            if (value.isArray()) {
                value.forEach(v -> add(e.userId(), about, v, analyzer));
            } else {
                add(e.userId(), about, value, analyzer);
            }
        }
    }

    /** Only plain text: an encrypted personal value ({"$encrypted": ...}) is an object and is skipped. */
    private void add(String userId, String itemId, JsonNode value, TextAnalyzer analyzer) {
        if (!value.isTextual()) {
            return;
        }
        analyzer.counts(value.asText()).forEach((term, n) -> text.merge(new UserText(userId, itemId, term), (long) n, Long::sum));
    }

    Map<UserItem, Long> engagements() {
        return engagements;
    }

    Map<UserText, Long> text() {
        return text;
    }

    boolean isEmpty() {
        return engagements.isEmpty() && text.isEmpty();
    }
}
