package io.ulm.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Builds the Segment messages (events/segment/*.schema.json). Field order is fixed and timestamps always carry
 * milliseconds, so the same inputs give the same bytes.
 */
final class Messages {

    static final String PRODUCT_VIEWED = "Product Viewed";
    static final String ORDER_COMPLETED = "Order Completed";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String LIBRARY = "ulm-simulator";

    private Messages() {
    }

    static String timestamp(long millis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(millis));
    }

    static SimulatedMessage identify(String messageId, long at, UserProfile user, String channel) {
        ObjectNode m = base("identify", messageId, user.userId(), at);
        m.putObject("traits").put("acquisition_channel", channel).put("country", user.country())
                .put("device", user.device()).put("age_band", user.ageBand()).put("plan", user.plan());
        ((ObjectNode) m.get("context")).putObject("campaign").put("source", channel);
        return message(m, at, user.userId(), messageId);
    }

    static SimulatedMessage page(String messageId, long at, String userId, String name, String category) {
        ObjectNode m = base("page", messageId, userId, at).put("name", name);
        if (category != null) {
            m.put("category", category);
        }
        m.putObject("properties").put("path", "/" + (category == null ? "" : category)).put("title", name);
        return message(m, at, userId, messageId);
    }

    static SimulatedMessage productViewed(String messageId, long at, String userId, Catalogue.Item item) {
        ObjectNode m = base("track", messageId, userId, at).put("event", PRODUCT_VIEWED);
        m.putObject("properties").put("product_id", item.id()).put("name", item.title())
                .put("category", item.categories().get(0));
        return message(m, at, userId, messageId);
    }

    /** An order; {@code prices} in cents, one per item, so revenue is their exact sum. */
    static SimulatedMessage orderCompleted(String messageId, long at, String userId, String orderId,
                                           List<Catalogue.Item> items, long[] prices, String currency) {
        ObjectNode m = base("track", messageId, userId, at).put("event", ORDER_COMPLETED);
        long total = 0;
        for (long price : prices) {
            total += price;
        }
        ObjectNode p = m.putObject("properties").put("order_id", orderId).put("revenue", total / 100.0)
                .put("currency", currency);
        ArrayNode products = p.putArray("products");
        for (int i = 0; i < items.size(); i++) {
            products.addObject().put("product_id", items.get(i).id()).put("category", items.get(i).categories().get(0))
                    .put("price", prices[i] / 100.0).put("quantity", 1);
        }
        return message(m, at, userId, messageId);
    }

    private static ObjectNode base(String type, String messageId, String userId, long at) {
        ObjectNode m = MAPPER.createObjectNode().put("type", type).put("messageId", messageId).put("userId", userId)
                .put("timestamp", timestamp(at));
        m.putObject("context").putObject("library").put("name", LIBRARY);
        return m;
    }

    private static SimulatedMessage message(ObjectNode m, long at, String userId, String messageId) {
        try {
            return new SimulatedMessage(Instant.ofEpochMilli(at), userId, messageId, MAPPER.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
