package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates one Segment message against {@code events/} and normalises it. Plain Java: it reads
 * no clock (the caller passes receivedAt) and touches no database.
 *
 * <p>Timestamps follow Segment: the event happened at {@code timestamp} (else {@code originalTimestamp},
 * else on receipt) by the client's clock; when {@code sentAt} is known, the client's clock skew
 * ({@code receivedAt - sentAt}) is added, so a device whose clock runs an hour fast still lands in order.
 */
public final class MessageParser {

    private static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "alias", "group");

    /** Limits of the ingestion API. */
    public record Limits(int maxMessageBytes, Duration maxFutureSkew, Instant minTimestamp) {
    }

    /** Fields of the batch envelope that apply to each message. */
    public record Envelope(ObjectNode context, JsonNode sentAt) {
        public static final Envelope NONE = new Envelope(null, null);
    }

    /** Either a message or the reasons it was rejected. */
    public record Parsed(IncomingMessage message, List<MessageError> errors) {
        public boolean valid() {
            return message != null;
        }
    }

    private final Limits limits;

    public MessageParser(Limits limits) {
        this.limits = limits;
    }

    /**
     * @param index      position in the request, or null for a single-message request
     * @param base       JSON Pointer of the message in the request body ("" or "/batch/3")
     * @param receivedAt when ULM received it; null in imports, where the message's own receivedAt (or
     *                   timestamp) is the receipt time
     */
    public Parsed parse(JsonNode message, Integer index, String base, Envelope envelope, Instant receivedAt) {
        int i = index == null ? 0 : index;
        if (message == null || !message.isObject()) {
            return rejected(index, base, "a message must be a JSON object", MessageError.Reason.NOT_AN_OBJECT);
        }
        int size = message.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > limits.maxMessageBytes()) {
            return new Parsed(null, List.of(new MessageError(index, base,
                    "message is " + size + " bytes; the limit is " + limits.maxMessageBytes(), MessageError.Reason.TOO_LARGE)));
        }
        String type = message.path("type").asText(null);
        if (!message.path("type").isTextual() || !TYPES.contains(type)) {
            return rejected(index, base + "/type", "type must be one of " + new java.util.TreeSet<>(TYPES)
                    + (message.has("type") ? ", was " + message.get("type") : ", and is missing"), MessageError.Reason.TYPE);
        }
        ObjectNode msg = ((ObjectNode) message).deepCopy();
        List<MessageError> errors = schemaErrors(type, msg, index, base);
        Instant at = null;
        Instant received = null;
        if (errors.isEmpty()) {
            received = receivedAt != null ? receivedAt : importReceivedAt(msg);
            at = eventTime(msg, envelope, received, receivedAt == null);
            String problem = received == null ? "a timestamp is required in imports" : checkTime(at, received);
            if (problem != null) {
                errors.add(new MessageError(index, base + timestampField(msg), problem, MessageError.Reason.TIMESTAMP));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        ObjectNode context = mergedContext(envelope, msg);
        ObjectNode properties = msg.path("properties").isObject() ? (ObjectNode) msg.get("properties") : JsonNodeFactory.instance.objectNode();
        ObjectNode traits = msg.path("traits").isObject() ? (ObjectNode) msg.get("traits") : null;
        boolean track = "track".equals(type);
        String event = track ? msg.get("event").asText() : msg.path("name").asText(null);
        String messageId = msg.hasNonNull("messageId") ? msg.get("messageId").asText() : contentId(message);
        return new Parsed(new IncomingMessage(i, messageId, type, text(msg, "userId"), text(msg, "anonymousId"),
                text(msg, "previousId"), text(msg, "groupId"), event, at, received, properties, traits, context,
                track ? revenue(properties) : null, track ? properties.path("currency").asText(null) : null,
                itemIds(properties)), List.of());
    }

    private static Parsed rejected(Integer index, String pointer, String detail, MessageError.Reason reason) {
        return new Parsed(null, List.of(new MessageError(index, pointer, detail, reason)));
    }

    private static List<MessageError> schemaErrors(String type, ObjectNode msg, Integer index, String base) {
        List<MessageError> errors = new ArrayList<>();
        boolean alias = "alias".equals(type);
        if (!alias && !msg.hasNonNull("userId") && !msg.hasNonNull("anonymousId")) {
            errors.add(new MessageError(index, base + "/userId", "either userId or anonymousId is required", MessageError.Reason.IDENTITY));
        }
        for (EventContract.Violation v : EventContract.validate("segment/" + type + ".schema.json", msg)) {
            // the anyOf of userId/anonymousId is reported once, above, in words a client understands
            boolean idAlternative = !alias && "required".equals(v.keyword())
                    && (v.pointer().endsWith("/userId") || v.pointer().endsWith("/anonymousId"));
            if (!idAlternative) {
                errors.add(new MessageError(index, base + v.pointer(), v.message()));
            }
        }
        return errors;
    }

    private static Instant importReceivedAt(ObjectNode msg) {
        for (String field : List.of("receivedAt", "timestamp", "originalTimestamp")) {
            if (msg.hasNonNull(field)) {
                return parseTime(msg.get(field).asText());
            }
        }
        return null;
    }

    private static Instant eventTime(ObjectNode msg, Envelope envelope, Instant received, boolean imported) {
        JsonNode ts = msg.hasNonNull("timestamp") ? msg.get("timestamp") : msg.get("originalTimestamp");
        if (ts == null || ts.isNull()) {
            return received;
        }
        Instant at = parseTime(ts.asText());
        JsonNode sent = msg.hasNonNull("sentAt") ? msg.get("sentAt") : envelope.sentAt();
        boolean canCorrect = sent != null && !sent.isNull() && (!imported || msg.hasNonNull("receivedAt"));
        if (at == null || !canCorrect || received == null) {
            return at;
        }
        Instant sentAt = parseTime(sent.asText());
        return sentAt == null ? at : at.plus(Duration.between(sentAt, received));
    }

    private String checkTime(Instant at, Instant received) {
        if (at == null) {
            return "timestamp must be an RFC 3339 date-time with a zone offset";
        }
        if (at.isBefore(limits.minTimestamp())) {
            return "timestamp " + at + " is before " + limits.minTimestamp() + ", the earliest accepted";
        }
        if (at.isAfter(received.plus(limits.maxFutureSkew()))) {
            return "timestamp " + at + " is in the future: more than " + limits.maxFutureSkew()
                    + " after the message was received (" + received + ")";
        }
        return null;
    }

    private static String timestampField(ObjectNode msg) {
        return msg.hasNonNull("timestamp") ? "/timestamp" : msg.hasNonNull("originalTimestamp") ? "/originalTimestamp" : "/timestamp";
    }

    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    private static ObjectNode mergedContext(Envelope envelope, ObjectNode msg) {
        ObjectNode context = envelope.context() == null ? JsonNodeFactory.instance.objectNode() : envelope.context().deepCopy();
        if (msg.path("context").isObject()) {
            context.setAll((ObjectNode) msg.get("context"));
        }
        return context;
    }

    private static String text(JsonNode msg, String field) {
        JsonNode node = msg.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Segment e-commerce: revenue, else total, else the sum of price x quantity of the products. */
    private static BigDecimal revenue(ObjectNode properties) {
        for (String field : List.of("revenue", "total")) {
            if (properties.path(field).isNumber()) {
                return properties.get(field).decimalValue();
            }
        }
        BigDecimal sum = null;
        for (JsonNode product : properties.path("products")) {
            if (product.path("price").isNumber()) {
                BigDecimal quantity = product.path("quantity").isNumber() ? product.get("quantity").decimalValue() : BigDecimal.ONE;
                BigDecimal line = product.get("price").decimalValue().multiply(quantity);
                sum = sum == null ? line : sum.add(line);
            }
        }
        return sum;
    }

    private static List<String> itemIds(ObjectNode properties) {
        Set<String> ids = new LinkedHashSet<>();
        if (properties.hasNonNull("product_id")) {
            ids.add(properties.get("product_id").asText());
        }
        for (JsonNode product : properties.path("products")) {
            JsonNode id = product.hasNonNull("product_id") ? product.get("product_id") : product.get("sku");
            if (id != null && !id.isNull()) {
                ids.add(id.asText());
            }
        }
        return List.copyOf(ids);
    }

    /** A stable id for messages sent without messageId: identical re-sends deduplicate. */
    private static String contentId(JsonNode message) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(message.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
