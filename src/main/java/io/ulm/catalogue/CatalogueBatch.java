package io.ulm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.catalogue.api.ItemCatalogued;
import io.ulm.lifecycle.api.ActivityRecorded;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes one batch of events makes to the {@code item} table, merged per item in memory. Items are
 * written in item-id order, so the two processor segments (items and users hash to either) always lock
 * rows in the same order and cannot deadlock. Merges are order-independent (see {@link Change#sight}).
 */
final class CatalogueBatch {

    /** One item's change: its latest definition in the batch, and its earliest sighting in an activity. */
    static final class Change {
        ItemCatalogued definition;
        Instant seenAt;
        String seenName;

        /**
         * Keeps the earliest sighting (event time, truncated to the database's microseconds); at equal times one
         * with a name beats one without, and the smaller name (code-point order, PostgreSQL's "C") wins. A
         * minimum is the same whatever order the events arrive in, so replays and live processing agree.
         */
        void sight(Instant at, String name) {
            Instant t = at.truncatedTo(ChronoUnit.MICROS);
            if (seenAt == null || t.isBefore(seenAt) || (t.equals(seenAt) && better(name, seenName))) {
                seenAt = t;
                seenName = name;
            }
        }

        static boolean better(String name, String than) {
            return name != null && (than == null || compareCodePoints(name, than) < 0);
        }
    }

    private final Map<String, Change> items = new TreeMap<>();

    void on(ItemCatalogued e) {
        // events of one item arrive in its aggregate's order: the last definition of the batch is the current one
        change(e.itemId()).definition = e;
    }

    void on(ActivityRecorded e) {
        if (e.itemIds() == null) {
            return;
        }
        for (String itemId : e.itemIds()) {
            change(itemId).sight(e.at(), name(e.properties(), itemId));
        }
    }

    Map<String, Change> items() {
        return items;
    }

    private Change change(String itemId) {
        return items.computeIfAbsent(itemId, k -> new Change());
    }

    /** The product name the message gives for the item: properties.name (single product) or products[].name. */
    static String name(JsonNode properties, String itemId) {
        if (properties == null) {
            return null;
        }
        if (itemId.equals(properties.path("product_id").asText(null))) {
            String name = text(properties.get("name"));
            if (name != null) {
                return name;
            }
        }
        for (JsonNode product : properties.path("products")) {
            JsonNode id = product.hasNonNull("product_id") ? product.get("product_id") : product.get("sku");
            if (id != null && itemId.equals(id.asText())) {
                String name = text(product.get("name"));
                if (name != null) {
                    return name;
                }
            }
        }
        return null;
    }

    /** Only plain text: an encrypted (personal) value is an object and never becomes a title. */
    private static String text(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            return null;
        }
        String name = node.asText().strip();
        return name.length() > ItemDefinitions.MAX_TITLE ? name.substring(0, ItemDefinitions.MAX_TITLE) : name;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
