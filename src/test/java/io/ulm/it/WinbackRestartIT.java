package io.ulm.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ulm.platform.EmbeddedDatabase;
import io.ulm.support.KafkaResource;
import io.ulm.winback.Assignment;
import io.ulm.winback.WinbackPolicies;
import io.ulm.winback.WinbackPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 the service between two win-back steps, restart it, and find every action exactly once on Kafka
 * {@code winback-actions} (and in the outbox); then replay every projection and find no new action. The packaged
 * service on its own database and a real broker, in event time: 12 customers go AT_RISK on 2025-01-31 (step 1: the
 * reminder), the service is killed once their step-1 actions are published, and after the restart the clock moves on
 * to March: the offers (due 2025-02-03) and the outcomes follow.
 */
class WinbackRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of("projections/winback")).get("winback-default");
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final int USERS = 12;

    private static EmbeddedDatabase postgres;
    private static Process service;
    private static int port;
    private static Path logs;

    @BeforeAll
    static void setUp() throws Exception {
        postgres = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS winback_restart WITH (FORCE)");
            s.execute("CREATE DATABASE winback_restart");
        }
        logs = Files.createTempDirectory("ulm-winback-restart-it");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKillBetweenStepsLosesNothingAndSendsNothingTwice() throws Exception {
        start("first");
        List<String> users = new ArrayList<>();
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < USERS; i++) {
            String user = "restart-" + RUN + "-" + i;
            users.add(user);
            batch.append(message(user, "page", "2024-12-29T10:00:00Z", null)).append(',')
                    .append(message(user, "Order Completed", "2025-01-01T10:00:00Z", 50)).append(',');
        }
        batch.append(message("clock-" + RUN, "Heartbeat", "2025-02-01T12:00:00Z", null)).append("]}");
        post("/v1/batch", batch.toString());
        // step 1 done and published: every entrant's WinbackStarted, the treated ones' reminders
        int stepOne = users.stream().mapToInt(u -> POLICY.assign(u).holdout() ? 1 : 2).sum();
        await("step 1 in the outbox and on Kafka", () -> count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL") == stepOne
                && count("SELECT count(*) FROM winback_step") == USERS);
        Map<String, List<String>> before = actionIds(users);
        assertThat(before.values().stream().mapToInt(List::size).sum()).isEqualTo(stepOne);

        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // kill -9 between step 1 and step 2
        start("second");
        post("/v1/batch", "{\"batch\":[" + message("clock-" + RUN, "Heartbeat", "2025-03-01T12:00:00Z", null) + "]}");
        await("every episode ended and every action published", () -> count("SELECT count(*) FROM winback_entry WHERE ended_at IS NULL") == 0
                && count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0);

        Map<String, List<String>> published = actionIds(users);
        long outbox = count("SELECT count(*) FROM outbox");
        for (String user : users) {
            String arm = POLICY.assign(user).arm();
            String id = "winback-default:" + user + ":2025-01-31T10:00:00Z";
            List<String> expected = switch (arm) {
                case Assignment.HOLDOUT -> List.of(id + ":started", id + ":ended");
                case "reminder-only" -> List.of(id + ":started", id + ":step:0", id + ":ended");
                default -> List.of(id + ":started", id + ":step:0", id + ":step:2", id + ":ended");
            };
            assertThat(published.get(user)).as(user + " (" + arm + ") on the topic").containsExactlyElementsOf(expected);
            assertThat(column("SELECT action_id FROM outbox WHERE msg_key = '" + user + "' ORDER BY id")).containsExactlyElementsOf(expected);
            assertThat(published.get(user)).startsWith(before.get(user).toArray(String[]::new));
        }
        assertThat(count("SELECT count(*) FROM winback_entry")).isEqualTo(USERS);

        // replay every processor that can be replayed (the projections; relays and the saga refuse): no saga, no new
        // action, nothing published again
        JsonNode status = JSON.readTree(get("/v1/admin/projections"));
        List<String> processors = new ArrayList<>();
        status.path("processors").fieldNames().forEachRemaining(processors::add);
        processors.add("winback-saga");
        List<String> projections = new ArrayList<>();
        for (String name : processors) {
            int code = postStatus("/v1/admin/projections/" + name + "/replay");
            if (code == 202) {
                projections.add(name);
            } else {
                assertThat(code).as(name + " is not a projection").isEqualTo(404);
                assertThat(name).isIn("winback-saga", "kafka-lifecycle-events");
            }
        }
        assertThat(projections).contains("user-profile", "analytics", "features", "catalogue", "segments", "interest-text");
        await("the replays", () -> {
            JsonNode s = JSON.readTree(get("/v1/admin/projections"));
            for (String name : projections) {
                JsonNode p = s.path("processors").path(name);
                if (p.path("replaying").asBoolean(true) || p.path("lag").asLong(1) > 0) {
                    return false;
                }
            }
            return true;
        });
        Thread.sleep(2_000);   // a relay tick or two
        assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(outbox);
        assertThat(count("SELECT count(*) FROM winback_entry")).isEqualTo(USERS);
        assertThat(actionIds(users)).isEqualTo(published);
    }

    private static String message(String user, String event, String at, Integer revenue) {
        String type = "page".equals(event) ? "page" : "track";
        return "{\"type\":\"" + type + "\",\"messageId\":\"" + user + "-" + at + "\",\"userId\":\"" + user + "\",\"timestamp\":\"" + at + "\","
                + ("page".equals(type) ? "\"name\":\"Home\"" : "\"event\":\"" + event + "\"")
                + (revenue == null ? "" : ",\"properties\":{\"revenue\":" + revenue + ",\"currency\":\"EUR\"}") + "}";
    }

    private static void start(String name) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        service = UlmProcess.start("jdbc:postgresql://localhost:" + postgres.port() + "/winback_restart", logs.resolve(name + ".log"),
                Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "ULM_KAFKA_BOOTSTRAP_SERVERS", KafkaResource.bootstrapServers(),
                        "ULM_SEGMENTS_EVERY", "off", "ULM_LIFECYCLE_SWEEP_INTERVAL", "1s"));
        await("the service (" + logs.resolve(name + ".log") + ")", () -> {
            try {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static String post(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
        return r.body();
    }

    private static int postStatus(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** The action-id headers on winback-actions per user, in topic order (one partition). */
    private static Map<String, List<String>> actionIds(List<String> users) {
        Map<String, List<String>> out = new TreeMap<>();
        users.forEach(u -> out.put(u, new ArrayList<>()));
        for (ConsumerRecord<String, String> r : KafkaResource.readAll("winback-actions", Duration.ofSeconds(30))) {
            if (out.containsKey(r.key())) {
                out.get(r.key()).add(new String(r.headers().lastHeader("action-id").value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void await(String what, Check done) throws Exception {
        Instant until = Instant.now().plus(Duration.ofMinutes(2));
        while (!done.ok()) {
            assertThat(service.isAlive()).as("the service runs while waiting for " + what).isTrue();
            assertThat(Instant.now()).as("waiting for " + what).isBefore(until);
            Thread.sleep(200);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static long count(String sql) throws Exception {
        if (!tableExists()) {
            return -1;
        }
        try (Connection c = connect("winback_restart"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean tableExists() throws Exception {
        try (Connection c = connect("winback_restart"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'outbox'")) {
            rs.next();
            return rs.getLong(1) == 1;
        }
    }

    private static List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect("winback_restart"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.port() + "/" + database, "postgres", "postgres");
    }
}
