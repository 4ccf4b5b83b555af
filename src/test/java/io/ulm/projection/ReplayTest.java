package io.ulm.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.ulm.platform.Json;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Projection replays and the replay audit: a replay rebuilds identical tables and writes no event, decision
 * or message; the audit finds no difference on a healthy system and finds a tampered row.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ReplayTest {

    private static final String PROFILE_TABLES = "SELECT md5(string_agg(t, '|' ORDER BY t)) FROM ("
            + "SELECT p::text AS t FROM user_profile p UNION ALL SELECT c::text FROM user_event_count c "
            + "UNION ALL SELECT i::text FROM user_item i UNION ALL SELECT r::text FROM user_trait r "
            + "UNION ALL SELECT l::text FROM user_identity l) x";
    private static final String SIDE_EFFECTS = "SELECT (SELECT count(*) FROM domain_event_entry) || '/' || "
            + "(SELECT count(*) FROM ingest_message) || '/' || (SELECT md5(string_agg(user_id || due_at || version, '|' "
            + "ORDER BY user_id)) FROM lifecycle_schedule)";

    @Inject
    DataSource db;

    @Test
    void replayRebuildsIdenticalTablesWithoutSideEffectsAndTheAuditSeesNoDifference() throws Exception {
        String user = "replay-" + UUID.randomUUID();
        Instant now = Instant.now().minusSeconds(120);
        Api.writer().body("{\"batch\":[" + track(user, "r1", "Product Viewed", now) + "," + track(user, "r2", "Order Completed", now.plusSeconds(5))
                        + ",{\"type\":\"identify\",\"messageId\":\"" + user + "-i\",\"userId\":\"" + user + "\",\"traits\":{\"email\":\"x@example.org\",\"plan\":\"pro\"}}]}")
                .post("/v1/batch").then().statusCode(200);
        awaitCaughtUp();

        JsonNode audit = audit();
        assertThat(audit.path("identical").asBoolean()).as(audit.toString()).isTrue();
        JsonNode profileReport = named(audit.path("projections"), "projection", "user-profile");
        assertThat(profileReport.path("eventsReplayed").asLong()).isPositive();
        assertThat(named(profileReport.path("tables"), "table", "user_profile").path("liveRows").asLong()).isPositive();

        String tablesBefore = scalar(PROFILE_TABLES);
        String effectsBefore = scalar(SIDE_EFFECTS);
        for (int replay = 1; replay <= 2; replay++) {
            Api.admin().post("/v1/admin/projections/user-profile/replay").then().statusCode(202).body("replaying", equalTo(true));
            awaitCaughtUp();
            assertThat(scalar(PROFILE_TABLES)).as("tables after replay " + replay).isEqualTo(tablesBefore);
        }
        assertThat(scalar(SIDE_EFFECTS)).as("events, messages and decisions after two replays").isEqualTo(effectsBefore);
        Api.reader().get("/v1/users/" + user).then().statusCode(200).body("purchases", equalTo(1)).body("stage", equalTo("MONETIZED"));
    }

    @Test
    void theAuditFindsATamperedRow() throws Exception {
        String user = "tamper-" + UUID.randomUUID();
        Api.writer().body(track(user, "t1", "Product Viewed", Instant.now().minusSeconds(60))).post("/v1/track").then().statusCode(200);
        awaitCaughtUp();
        execute("UPDATE user_profile SET messages = messages + 41 WHERE user_id = '" + user + "'");
        try {
            JsonNode audit = audit();
            assertThat(audit.path("identical").asBoolean()).isFalse();
            JsonNode table = named(named(audit.path("projections"), "projection", "user-profile").path("tables"), "table", "user_profile");
            assertThat(table.path("identical").asBoolean()).isFalse();
            assertThat(table.path("onlyLive").toString()).contains(user).contains(",42,");
            assertThat(table.path("onlyShadow").toString()).contains(user).contains(",1,");
        } finally {
            execute("UPDATE user_profile SET messages = messages - 41 WHERE user_id = '" + user + "'");
        }
    }

    @Test
    void anUnknownProjectionIsAProblem() {
        Api.admin().post("/v1/admin/projections/nope/replay").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("/problems/unknown-projection"))
                .body("projection", equalTo("nope"));
    }

    private static String track(String user, String id, String event, Instant at) {
        return "{\"type\":\"track\",\"messageId\":\"" + user + "-" + id + "\",\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"timestamp\":\"" + at + "\",\"properties\":{\"revenue\":9.5,\"product_id\":\"sku-1\"}}";
    }

    private static JsonNode named(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.path(field).asText())) {
                return element;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }

    private static JsonNode audit() throws Exception {
        Response response = Api.admin().post("/v1/admin/replay-audit").then().statusCode(200).extract().response();
        return Json.mapper().readTree(response.asString());
    }

    private static void awaitCaughtUp() {
        await().atMost(180, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
            JsonNode status = Json.mapper().readTree(Api.admin().get("/v1/admin/projections").asString());
            for (JsonNode processor : status.path("processors")) {
                if (processor.path("lag").asLong() > 0 || processor.path("replaying").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
