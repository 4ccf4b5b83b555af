package io.ulm.interest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.ulm.platform.Json;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The interest endpoints through the Segment API: a user's own text and the catalogue text of what she bought
 * become her keywords (encrypted personal text and refunds do not), and who may call what.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class InterestApiTest {

    @Inject
    DataSource db;
    @Inject
    InterestIndex index;

    @Test
    void ownTextAndCatalogueTextBecomeKeywords() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ada = "ada-" + run;
        String sku = "candle-" + run;
        TestCatalogue.define(db, sku, "Scented Lavender Candles", "Hand-poured soy candles, lavender scent");
        Instant t = Instant.now().minusSeconds(600);
        String batch = "{\"batch\":["
                + track(ada, "1", "Order Completed", t, "{\"products\":[{\"product_id\":\"" + sku + "\",\"price\":9,\"quantity\":1}]}") + ","
                + track(ada, "2", "Product Reviewed", t.plusSeconds(5), "{\"product_id\":\"" + sku + "\",\"review\":\"Zorblat lavender, relaxing\"}") + ","
                + track(ada, "3", "Product Reviewed", t.plusSeconds(6), "{\"product_id\":\"" + sku + "\",\"review\":\"Lavender again, relaxing quixvane\"}") + ","
                + track(ada, "4", "Order Refunded", t.plusSeconds(7), "{\"products\":[{\"product_id\":\"other-" + run + "\",\"price\":3}],"
                + "\"comment\":\"broken teapot teapot\"}") + "]}";
        Api.writer().body(batch).post("/v1/batch").then().statusCode(200);
        // a second user who saw the candle and wrote about lavender: keywords need df >= 2 (no other user: no keyword)
        Api.writer().body(track("bob-" + run, "1", "Product Viewed", t, "{\"product_id\":\"" + sku + "\",\"comment\":\"relaxing lavender\"}"))
                .post("/v1/track").then().statusCode(200);
        awaitRows("SELECT count(*) FROM interest_user_item WHERE user_id = '" + ada + "'", 1);
        awaitRows("SELECT count(*) FROM interest_user_text WHERE user_id = 'bob-" + run + "'", 2);
        awaitRows("SELECT count(*) FROM interest_user_text WHERE user_id = '" + ada + "'", 4);
        index.refresh(true);

        JsonNode body = Json.mapper().readTree(Api.reader().get("/v1/users/" + ada + "/interests").then().statusCode(200).extract().asString());
        Map<String, Long> counts = new java.util.TreeMap<>();
        body.path("keywords").forEach(k -> counts.put(k.path("term").asText(), k.path("count").asLong()));
        // lavender: title 1 + description 1, three engagements (order, two reviews) = 6, plus her reviews 2 x weight 2 = 4
        assertThat(counts).containsEntry("lavender", 10L).containsEntry("candle", 6L).containsEntry("relaxing", 4L);
        assertThat(counts).doesNotContainKeys("teapot", "broken"); // a refund is no interest
        assertThat(counts).doesNotContainKeys("zorblat", "quixvane"); // her made-up words: nobody else has them (df 1), even in a shared database
        assertThat(body.path("userId").asText()).isEqualTo(ada);
        assertThat(body.path("documents").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(body.path("related").path("categories").asText()).isEqualTo("/v1/users/" + ada + "/features");
    }

    @Test
    void whoMayCallWhat() {
        for (String path : new String[]{"/v1/users/x/interests", "/v1/topics", "/v1/admin/topics/fit", "/v1/admin/topics/fit/1"}) {
            RestAssured.given().get(path).then().statusCode(401);
            Api.writer().get(path).then().statusCode(403);
        }
        Api.reader().get("/v1/topics").then().statusCode(200);
        Api.admin().get("/v1/topics").then().statusCode(200);
        Api.reader().get("/v1/admin/topics/fit").then().statusCode(403);
        Api.reader().get("/v1/admin/topics/fit/1").then().statusCode(403);
        Api.admin().get("/v1/admin/topics/fit/987654321").then().statusCode(404).body("type", equalTo("/problems/unknown-fit"));
        Api.reader().body("{}").post("/v1/admin/topics/fit").then().statusCode(403);
        Api.reader().get("/v1/topics?words=0").then().statusCode(400).body("parameter", equalTo("words"));
    }

    private static String track(String user, String id, String event, Instant at, String properties) {
        return "{\"type\":\"track\",\"messageId\":\"" + user + "-" + id + "\",\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"timestamp\":\"" + at + "\",\"properties\":" + properties + "}";
    }

    private void awaitRows(String sql, long expected) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
            try (Connection c = db.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1) >= expected;
            }
        });
    }
}
