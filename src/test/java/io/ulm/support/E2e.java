package io.ulm.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Helpers for end-to-end tests through the public API: JSON message building, profile polling
 * (the projection is asynchronous), and direct SQL reads of the tables behind the API.
 */
public final class E2e {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration PROJECTION_WAIT = Duration.ofSeconds(20);

    private E2e() {
    }

    // ------------------------------------------------------------------------------------------
    // JSON
    // ------------------------------------------------------------------------------------------

    /** An object from key/value pairs; Instants become RFC 3339 text, nulls JSON null. */
    public static ObjectNode obj(Object... kv) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < kv.length; i += 2) {
            node.set((String) kv[i], value(kv[i + 1]));
        }
        return node;
    }

    public static ArrayNode arr(Object... values) {
        ArrayNode node = JsonNodeFactory.instance.arrayNode();
        for (Object v : values) {
            node.add(value(v));
        }
        return node;
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof Instant t) {
            return TextNode.valueOf(t.toString());
        }
        return JSON.valueToTree(v);
    }

    /** The text of every element of a JSON array. */
    public static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    public static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? JsonNodeFactory.instance.missingNode() : JSON.readTree(text);
        } catch (java.io.IOException e) {
            return TextNode.valueOf(text);
        }
    }

    /** An instant field of a JSON body (ISO text or epoch seconds), null when absent. */
    public static Instant instant(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            BigDecimal seconds = v.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return Instant.parse(v.asText());
    }

    // ------------------------------------------------------------------------------------------
    // HTTP
    // ------------------------------------------------------------------------------------------

    /** An answer: status, headers that matter, body parsed as JSON. */
    public record Reply(int status, String contentType, String wwwAuthenticate, JsonNode body, String raw) {
        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    public static Reply reply(Response r) {
        String raw = r.asString();
        return new Reply(r.statusCode(), r.contentType(), r.header("WWW-Authenticate"), parse(raw), raw);
    }

    /** POST JSON with a Bearer key. */
    public static Reply post(String key, String path, Object body) {
        return reply(RestAssured.given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(body.toString()).post(path));
    }

    public static Reply get(String key, String path) {
        return reply(RestAssured.given().header("Authorization", "Bearer " + key).get(path));
    }

    public static Reply profile(String key, String id) {
        return get(key, "/v1/users/" + id);
    }

    /** Polls GET /v1/users/{id} until {@code ready} holds for the profile; fails with the last answer otherwise. */
    public static JsonNode awaitProfile(String key, String id, Predicate<JsonNode> ready) {
        return awaitProfiles(key, Map.of(id, ready)).get(id);
    }

    /** Polls several profiles in one loop (no per-user wait). */
    public static Map<String, JsonNode> awaitProfiles(String key, Map<String, Predicate<JsonNode>> ready) {
        long deadline = System.nanoTime() + PROJECTION_WAIT.toNanos();
        Map<String, JsonNode> done = new LinkedHashMap<>();
        Map<String, Reply> last = new LinkedHashMap<>();
        while (true) {
            for (Map.Entry<String, Predicate<JsonNode>> e : ready.entrySet()) {
                if (done.containsKey(e.getKey())) {
                    continue;
                }
                Reply r = profile(key, e.getKey());
                last.put(e.getKey(), r);
                if (r.status() == 200 && e.getValue().test(r.body())) {
                    done.put(e.getKey(), r.body());
                }
            }
            if (done.size() == ready.size()) {
                return done;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder("profiles not as expected within " + PROJECTION_WAIT.toSeconds() + " s:");
                last.forEach((id, r) -> {
                    if (!done.containsKey(id)) {
                        why.append("\n  GET /v1/users/").append(id).append(" -> ").append(r);
                    }
                });
                throw new AssertionError(why.toString());
            }
            sleep(100);
        }
    }

    /** Polls GET /v1/items/{id} (the read model is eventually consistent) until the item satisfies {@code ready}. */
    public static JsonNode awaitItem(String id, Predicate<JsonNode> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        E2e.Reply last;
        do {
            last = E2e.get(Api.READ_KEY, "/v1/items/" + id);
            if (last.status() == 200 && ready.test(last.body())) {
                return last.body();
            }
            E2e.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("item " + id + " not as expected within 20 s: " + last);
    }

    /** A readiness condition: at least {@code messages} messages projected and the given stage. */
    public static Predicate<JsonNode> stageAfter(long messages, String stage) {
        return p -> p.path("messages").asLong() >= messages && stage.equals(p.path("stage").asText(null));
    }

    /**
     * Until every segment of {@code processor} has handled the whole event log (its tokens at the log's head), polled
     * every {@code pollMillis}; fails after {@code timeout}.
     */
    public static void awaitProcessorAtHead(DataSource db, String processor, Duration timeout, long pollMillis) {
        Instant until = Instant.now().plus(timeout);
        io.ulm.projection.ProjectionProgress progress = new io.ulm.projection.ProjectionProgress(db);
        while (true) {
            io.ulm.projection.ProjectionProgress.Segments now = progress.segments();
            if (now.segments().stream().filter(s -> s.processor().equals(processor)).allMatch(s -> s.position() >= now.head())) {
                return;
            }
            org.assertj.core.api.Assertions.assertThat(Instant.now()).as(processor + " at the head of the log").isBefore(until);
            sleep(pollMillis);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // SQL
    // ------------------------------------------------------------------------------------------

    public static List<Map<String, Object>> rows(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof List<?> list) {
                    ps.setArray(i + 1, c.createArrayOf("text", list.toArray()));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof java.time.OffsetDateTime odt) {
                            v = odt.toInstant();
                        } else if (v instanceof java.sql.Timestamp ts) {
                            v = ts.toInstant();
                        }
                        row.put(md.getColumnLabel(i), v);
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    public static long count(DataSource db, String sql, Object... params) {
        return ((Number) rows(db, sql, params).get(0).values().iterator().next()).longValue();
    }

    /** The event-store payloads (JSON) of one aggregate whose payload type ends with {@code type}, in order. */
    public static List<JsonNode> events(DataSource db, String aggregate, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (Map<String, Object> row : rows(db, "SELECT convert_from(payload, 'UTF8') AS p FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE ? ORDER BY sequence_number", aggregate, "%" + type)) {
            out.add(parse((String) row.get("p")));
        }
        return out;
    }

    public static Instant instantAt(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Instant i ? i : v == null ? null : Instant.parse(v.toString());
    }
}
