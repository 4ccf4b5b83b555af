package io.ulm.platform;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.ulm.model.ModelsReadiness;
import io.ulm.platform.health.ProcessorsReadiness;
import io.ulm.support.Api;
import io.ulm.support.Prometheus;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's view of a running node (docs/operations.md): the probes answer without an API key, readiness names
 * PostgreSQL, the Axon processors and the models and goes down when a processor stops; /q/metrics counts ingested
 * messages by outcome and rejects by reason, and shows processor lag per segment, win-back episodes by state and the
 * outbox backlog as they are in the tables.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class HealthAndMetricsTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    DataSource db;

    @Inject
    AxonRuntime axon;

    @Test
    void probesNeedNoKeyAndReadinessCoversDatabaseProcessorsAndModels() {
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        RestAssured.given().get("/q/health/started").then().statusCode(200);   // the chart's startup probe
        JsonPath ready = RestAssured.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(ready.getString("status")).isEqualTo("UP");
        List<String> names = ready.getList("checks.name");
        assertThat(names).contains("Database connections health check", ProcessorsReadiness.NAME, ModelsReadiness.NAME);
        Map<String, String> processors = data(ready, ProcessorsReadiness.NAME);
        assertThat(processors).containsKeys("user-profile", "analytics", "segments", "winback-saga");
        assertThat(processors.get("user-profile")).startsWith("running").contains("segment(s) claimed here");
        // a kind without a trained model does not make the node unready; one with a model names it and its provider
        assertThat(data(ready, ModelsReadiness.NAME)).containsKeys("recommender", "churn")
                .allSatisfy((kind, state) -> assertThat(state).matches("none trained yet|model \\d+ .* on (CPU|CUDA).*"));
    }

    @Test
    void aStoppedProcessorMakesTheNodeUnready() {
        EventProcessor analytics = axon.configuration().eventProcessingConfiguration().eventProcessor("analytics").orElseThrow();
        analytics.shutDown();
        try {
            JsonPath ready = RestAssured.given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(data(ready, ProcessorsReadiness.NAME).get("analytics")).startsWith("stopped");
            RestAssured.given().get("/q/health/live").then().statusCode(200);
        } finally {
            analytics.start();
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> RestAssured.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void ingestCountsMessagesByOutcomeAndRejectsByReason() {
        Prometheus before = Prometheus.scrape();
        String user = "metrics-" + RUN;
        String at = Instant.now().minusSeconds(60).toString();
        String track = "{\"type\":\"track\",\"messageId\":\"" + user + "-1\",\"userId\":\"" + user + "\",\"event\":\"Product Viewed\",\"timestamp\":\"" + at + "\"}";
        // one stored, the same message again (duplicate), a timestamp a day in the future, no user at all
        String future = Instant.now().plusSeconds(86_400).toString();
        Api.writer().body("{\"batch\":[" + track + "," + track
                        + ",{\"type\":\"page\",\"userId\":\"" + user + "\",\"name\":\"Home\",\"timestamp\":\"" + future + "\"}"
                        + ",{\"type\":\"page\",\"name\":\"Home\",\"timestamp\":\"" + at + "\"}]}")
                .post("/v1/batch").then().statusCode(400);
        Api.writer().body("{\"type\":").post("/v1/track").then().statusCode(400);
        Prometheus after = Prometheus.scrape();

        assertThat(delta(before, after, "ulm_ingest_messages_total", "mode", "live", "outcome", "accepted")).isEqualTo(1);
        assertThat(delta(before, after, "ulm_ingest_messages_total", "mode", "live", "outcome", "duplicate")).isEqualTo(1);
        assertThat(delta(before, after, "ulm_ingest_messages_total", "mode", "live", "outcome", "rejected")).isEqualTo(3);
        assertThat(delta(before, after, "ulm_ingest_rejected_total", "mode", "live", "reason", "timestamp")).isEqualTo(1);
        assertThat(delta(before, after, "ulm_ingest_rejected_total", "mode", "live", "reason", "identity")).isEqualTo(1);
        assertThat(delta(before, after, "ulm_ingest_rejected_total", "mode", "live", "reason", "malformed_json")).isEqualTo(1);
        assertThat(delta(before, after, "ulm_ingest_rejected_total", "mode", "live", "reason", "schema")).isZero();
        // every reason is exported from the start, so rates and alerts have a baseline
        assertThat(after.find("ulm_ingest_rejected_total", "mode", "import")).hasSize(7);
    }

    @Test
    void processorLagPerSegmentAndWinbackGaugesFollowTheTables() throws Exception {
        String campaign = "metrics-" + RUN;
        String action = "metrics-" + RUN + ":0";
        execute("INSERT INTO winback_entry (winback_id, campaign_id, user_id, arm, trigger, entered_at, ended_at, outcome) VALUES "
                + "('" + campaign + ":a:1', '" + campaign + "', 'a', 'control', 'AT_RISK', now(), null, null), "
                + "('" + campaign + ":b:1', '" + campaign + "', 'b', 'control', 'AT_RISK', now(), now(), 'LOST'), "
                + "('" + campaign + ":c:1', '" + campaign + "', 'c', 'control', 'AT_RISK', now(), null, null)");
        execute("INSERT INTO outbox (action_id, topic, msg_key, payload, created_at) VALUES ('" + action
                + "', 'winback-actions', 'a', '{}'::jsonb, now() - interval '90 seconds')");
        try {
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                Prometheus now = Prometheus.scrape();
                assertThat(now.sum("ulm_winback_sagas", "campaign", campaign, "state", "RUNNING")).isEqualTo(2);
                assertThat(now.sum("ulm_winback_sagas", "campaign", campaign, "state", "LOST")).isEqualTo(1);
                assertThat(now.sum("ulm_outbox_backlog")).isGreaterThanOrEqualTo(1);
                assertThat(now.sum("ulm_outbox_oldest_unsent_seconds")).isGreaterThanOrEqualTo(90);
            });
        } finally {
            execute("DELETE FROM winback_entry WHERE campaign_id = '" + campaign + "'");
            execute("DELETE FROM outbox WHERE action_id = '" + action + "'");
        }

        // lag per segment: one per segment of each projection, zero once the projections have caught up
        Api.writer().body("{\"type\":\"page\",\"userId\":\"lag-" + RUN + "\",\"name\":\"Home\",\"timestamp\":\"" + Instant.now().minusSeconds(5) + "\"}")
                .post("/v1/page").then().statusCode(200);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Prometheus now = Prometheus.scrape();
            assertThat(now.find("ulm_processor_lag_events", "processor", "user-profile")).extracting(s -> s.labels().get("segment"))
                    .containsExactlyInAnyOrder("0", "1");
            assertThat(now.sum("ulm_processor_lag_events", "processor", "user-profile")).isZero();
            assertThat(now.sum("ulm_processor_position", "processor", "user-profile", "segment", "0")).isPositive();
            assertThat(now.sum("ulm_processor_claimed", "processor", "user-profile")).isEqualTo(2);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> data(JsonPath ready, String check) {
        List<Map<String, Object>> checks = ready.getList("checks");
        return (Map<String, String>) checks.stream().filter(c -> check.equals(c.get("name"))).findFirst().orElseThrow().get("data");
    }

    private static double delta(Prometheus before, Prometheus after, String name, String... labels) {
        assertThat(after.find(name, labels)).as(name + " " + String.join(",", labels)).isNotEmpty();
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
