package io.ulm.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the rows of a CSV file into Segment messages with a {@link CsvMapping} and feeds them to an
 * import session. Rows of one order are grouped into one message (kept in memory until the end of
 * the file, because orders need not be contiguous).
 */
public final class CsvImporter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CsvMapping mapping;
    private final DateTimeFormatter pattern;

    public CsvImporter(CsvMapping mapping) {
        this.mapping = mapping;
        String format = mapping.timestamp().format();
        this.pattern = switch (format) {
            case "epoch-seconds", "epoch-millis", "iso" -> null;
            default -> DateTimeFormatter.ofPattern(format);
        };
    }

    /**
     * Reads the whole CSV (with a header row) into the session; the caller finishes it. Messages are
     * handed over grouped by user: an import decides nothing until it ends, so the order is free,
     * and one user's messages then travel in one command instead of one per chunk.
     */
    public void read(InputStream in, ImportService.Session session) throws IOException {
        List<Numbered> messages = new ArrayList<>();
        read(in, session, messages);
        messages.sort(Comparator.comparing((Numbered n) -> n.message().get("userId").asText())
                .thenComparing(n -> n.message().get("timestamp").asText()));
        for (Numbered n : messages) {
            session.add(n.message(), n.line());
        }
    }

    private record Numbered(ObjectNode message, long line) {
    }

    private void read(InputStream in, ImportService.Session session, List<Numbered> out) throws IOException {
        Map<String, Order> orders = new LinkedHashMap<>();
        Set<String> identified = new HashSet<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(mapping.delimiter()).setHeader()
                .setSkipHeaderRecord(true).setTrim(true).get();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8); CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord row : parser) {
                long line = row.getRecordNumber() + 1;
                try {
                    handle(row, line, orders, identified, session, out);
                } catch (RuntimeException e) {
                    session.reject(new MessageError((int) line, "", "row " + line + " cannot be imported: " + e.getMessage()));
                }
            }
        }
        for (Order order : orders.values()) {
            out.add(new Numbered(order.message(), order.line));
        }
    }

    private void handle(CSVRecord row, long line, Map<String, Order> orders, Set<String> identified,
                        ImportService.Session session, List<Numbered> out) {
        String user = userId(row.get(mapping.columns().user()));
        if (user.isEmpty()) {
            session.skip();
            return;
        }
        Instant at = time(row.get(mapping.columns().timestamp()));
        if (!mapping.traits().isEmpty() && identified.add(user)) {
            ObjectNode traits = JSON.objectNode();
            mapping.traits().forEach((trait, column) -> traits.put(trait, row.get(column)));
            out.add(new Numbered(JSON.objectNode().put("type", "identify").put("messageId", mapping.messageIdPrefix() + "-identify-" + user)
                    .put("userId", user).put("timestamp", at.toString()).set("traits", traits), line));
        }
        String orderColumn = mapping.columns().order();
        if (orderColumn != null) {
            String orderId = row.get(orderColumn);
            orders.computeIfAbsent(orderId, id -> new Order(id, user, at, line)).add(row);
            return;
        }
        String item = column(row, mapping.columns().item());
        ObjectNode properties = JSON.objectNode();
        if (item != null) {
            properties.put("product_id", item);
        }
        mapping.properties().forEach((name, column) -> putValue(properties, name, row.get(column)));
        String id = mapping.messageIdPrefix() + "-" + user + "-" + (item == null ? "" : item) + "-" + row.get(mapping.columns().timestamp());
        out.add(new Numbered(JSON.objectNode().put("type", "track").put("messageId", id).put("userId", user)
                .put("event", mapping.event()).put("timestamp", at.toString()).set("properties", properties), line));
    }

    private String userId(String raw) {
        String id = raw == null ? "" : raw.trim();
        if (mapping.userId().stripTrailingZeroDecimal() && id.matches("\\d+\\.0+")) {
            id = id.substring(0, id.indexOf('.'));
        }
        return id;
    }

    private Instant time(String raw) {
        return switch (mapping.timestamp().format()) {
            case "epoch-seconds" -> Instant.ofEpochSecond(Long.parseLong(raw.trim()));
            case "epoch-millis" -> Instant.ofEpochMilli(Long.parseLong(raw.trim()));
            case "iso" -> Instant.parse(raw.trim());
            default -> LocalDateTime.parse(raw.trim(), pattern).atZone(mapping.timestamp().zone()).toInstant();
        };
    }

    private static String column(CSVRecord row, String column) {
        if (column == null) {
            return null;
        }
        String value = row.get(column);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Numbers stay numbers in properties; anything else is text. */
    private static void putValue(ObjectNode node, String name, String raw) {
        try {
            node.put(name, new BigDecimal(raw));
        } catch (NumberFormatException e) {
            node.put(name, raw);
        }
    }

    /** The rows of one order, grouped into one e-commerce message. */
    private final class Order {
        private final String id;
        private final String user;
        private final Instant at;
        private final long line;
        private final ArrayNode products = JSON.arrayNode();
        private BigDecimal total = BigDecimal.ZERO;

        Order(String id, String user, Instant at, long line) {
            this.id = id;
            this.user = user;
            this.at = at;
            this.line = line;
        }

        void add(CSVRecord row) {
            BigDecimal quantity = new BigDecimal(row.get(mapping.columns().quantity()));
            BigDecimal price = new BigDecimal(row.get(mapping.columns().price()));
            total = total.add(quantity.multiply(price));
            ObjectNode product = products.addObject().put("product_id", row.get(mapping.columns().item()));
            String name = column(row, mapping.columns().itemName());
            if (name != null) {
                product.put("name", name);
            }
            product.put("price", price).put("quantity", refund() ? quantity.abs() : quantity);
        }

        boolean refund() {
            return mapping.refund() != null && id.startsWith(mapping.refund().orderPrefix());
        }

        ObjectNode message() {
            BigDecimal amount = refund() ? total.abs() : total;
            ObjectNode properties = JSON.objectNode().put("order_id", id).put("total", amount).put("revenue", amount);
            if (mapping.currency() != null) {
                properties.put("currency", mapping.currency());
            }
            properties.set("products", products);
            return JSON.objectNode().put("type", "track").put("messageId", mapping.messageIdPrefix() + "-" + id)
                    .put("userId", user).put("event", refund() ? mapping.refund().event() : mapping.event())
                    .put("timestamp", at.toString()).set("properties", properties);
        }
    }
}
