package io.ulm.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a run leaves in its database, for comparing a cluster with a single node: every read model, the lifecycle
 * schedule (with each aggregate's version), the domain events per user and type, the win-back entries and the
 * outbox's actions. Columns that depend on where an event sits in the log (positions) or on the wall clock are left
 * out; everything else must be equal.
 */
final class ReadModels {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Read models compared row by row (each row as canonical jsonb text, without the listed columns). */
    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("user_profile", new String[]{"last_position"});
        TABLES.put("user_event_count", new String[0]);
        TABLES.put("user_item", new String[0]);
        TABLES.put("user_trait", new String[0]);
        // seq: the StageChanged's place in the user's stream, which depends on when the watermark let it be decided
        TABLES.put("analytics_stage_transition", new String[]{"seq"});
        TABLES.put("analytics_activity_day", new String[0]);
        TABLES.put("analytics_acquisition", new String[0]);
        TABLES.put("user_feature", new String[0]);
        TABLES.put("user_feature_day", new String[0]);
        TABLES.put("user_item_interest", new String[0]);
        TABLES.put("interest_user_item", new String[0]);
        TABLES.put("segment_membership", new String[]{"evaluation"});
        TABLES.put("lifecycle_schedule", new String[0]);
        // judged_at: the lifecycle watermark when the saga handled the trigger, which depends on how far it lagged
        TABLES.put("winback_entry", new String[]{"judged_at"});
    }

    /**
     * Aggregates' events (per user and type), and the outbox without its payload's items. Not the events on no stream
     * ({@code WinbackStepDue}): the job wakes a step whose row is still there, also when the saga has not yet handled
     * the return that ends the episode (it then ignores the wake-up), so their number depends on timing; what they
     * cause (outbox, win-back entries) is compared.
     */
    private static final Map<String, String> QUERIES = Map.of(
            "domain events per user and type", "SELECT aggregate_identifier || '|' || payload_type || '|' || count(*) "
                    + "FROM domain_event_entry WHERE type IS NOT NULL GROUP BY aggregate_identifier, payload_type ORDER BY 1",
            "outbox actions", "SELECT action_id || '|' || topic || '|' || msg_key || '|' || (payload->>'type') FROM outbox ORDER BY 1",
            "ingested messages", "SELECT count(*)::text FROM ingest_message");

    private ReadModels() {
    }

    /** Name of what was read to its rows, in a stable order. */
    static Map<String, List<String>> snapshot(String jdbcUrl) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement s = c.createStatement()) {
            for (Map.Entry<String, String[]> t : TABLES.entrySet()) {
                StringBuilder row = new StringBuilder("to_jsonb(t)");
                for (String column : t.getValue()) {
                    row.append(" - '").append(column).append("'");
                }
                out.put(t.getKey(), rows(s, "SELECT (" + row + ")::text AS r FROM " + t.getKey() + " t ORDER BY r"));
            }
            for (Map.Entry<String, String> q : new java.util.TreeMap<>(QUERIES).entrySet()) {
                out.put(q.getKey(), rows(s, q.getValue()));
            }
        }
        return out;
    }

    static List<String> rows(String jdbcUrl, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement s = c.createStatement()) {
            return rows(s, query);
        }
    }

    private static List<String> rows(Statement s, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /**
     * Waits until the run is quiet: nothing due by the watermark is left undecided (lifecycle schedule, win-back steps),
     * every processor has handled the whole log, and the outbox is sent; three times in a row, a second apart.
     */
    static void awaitSettled(UlmCluster cluster, String jdbcUrl, String lateness, Duration timeout) throws Exception {
        String due = "SELECT (SELECT count(*) FROM lifecycle_schedule s, lifecycle_clock c WHERE c.id = 1 AND s.due_at <= c.max_event_time - "
                + "interval '" + lateness + "') + (SELECT count(*) FROM winback_step w, lifecycle_clock c WHERE c.id = 1 "
                + "AND w.due_at <= c.max_event_time - interval '" + lateness + "') + (SELECT count(*) FROM outbox WHERE sent_at IS NULL)";
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        String last = "";
        while (quiet < 3) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the run did not settle in " + timeout + ": " + last);
            }
            long pending = StreamDriver.count(jdbcUrl, due);
            long lag = lag(cluster);
            last = "pending decisions/steps/outbox " + pending + ", processor lag " + lag;
            quiet = pending == 0 && lag == 0 ? quiet + 1 : 0;
            Thread.sleep(1000);
        }
    }

    /** The largest lag of any processor (events of the log it has not handled), asked of a live node. */
    static long lag(UlmCluster cluster) throws Exception {
        UlmCluster.Node node = cluster.live().get(0);
        HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create(node.base() + "/v1/admin/projections"))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode status = JSON.readTree(r.body());
        long max = 0;
        for (JsonNode p : status.path("processors")) {
            max = Math.max(max, p.path("lag").asLong());
        }
        return max;
    }

    /** Owner of each segment of a processor (null: unclaimed), in segment order. */
    static List<String> owners(String jdbcUrl, String processor) throws Exception {
        return rows(jdbcUrl, "SELECT coalesce(owner, '-') FROM token_entry WHERE processor_name = '" + processor + "' ORDER BY segment");
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
