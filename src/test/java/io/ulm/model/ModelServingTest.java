package io.ulm.model;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.Prometheus;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The registry and serving path with a model built by a different path than ULM's trainer (raw ONNX protobuf):
 * it is validated against the recommender contract, registered, activated and served; a second version is swapped
 * in; graphs and mappings that break the contract are refused with the reason; the policy follows the stage.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelServingTest {

    @jakarta.inject.Inject
    io.ulm.recommend.Popularity popularity;

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String ADA = "ms-" + RUN + "-ada";
    static final String COLD = "ms-" + RUN + "-cold";
    static final List<String> ITEMS = List.of(item(1), item(2), item(3), item(4), item(5));
    // ada's taste is the first axis: i1 1.0, i2 0.9, i4 0.5, i5 0.1, i3 0.0
    static final float[][] USERS = {{1f, 0f}, {0f, 1f}};
    static final float[][] FACTORS = {{1f, 0f}, {0.9f, 0f}, {0f, 1f}, {0.5f, 0.5f}, {0.1f, 0f}};

    static String item(int i) {
        return "ms-" + RUN + "-i" + i;
    }

    static String mapping() {
        return "{\"users\":[\"" + ADA + "\",\"someone-else\"],\"items\":[" + String.join(",", ITEMS.stream().map(i -> "\"" + i + "\"").toList()) + "]}";
    }

    static RequestSpecification upload(byte[] onnx, String mapping) {
        RequestSpecification r = RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY)
                .multiPart("model", "model.onnx", onnx, "application/octet-stream");
        return mapping == null ? r : r.multiPart("mapping", mapping);
    }

    @Test
    @Order(1)
    void aModelBuiltElsewhereIsValidatedRegisteredAndServed() {
        Instant t = Instant.now().minusSeconds(3600);
        // ada bought i1, i3 and i5 (MONETIZED, 3 items): personalised; the cold user only looked at a page
        Api.writer().body("{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + ADA + "-1\",\"userId\":\"" + ADA + "\",\"event\":\"Order Completed\","
                + "\"timestamp\":\"" + t + "\",\"properties\":{\"revenue\":30,\"products\":[{\"product_id\":\"" + item(1) + "\"},{\"product_id\":\""
                + item(3) + "\"},{\"product_id\":\"" + item(5) + "\"}]}},{\"type\":\"page\",\"messageId\":\"" + COLD + "-1\",\"userId\":\"" + COLD
                + "\",\"name\":\"Home\",\"timestamp\":\"" + t + "\"}]}").post("/v1/batch").then().statusCode(200);
        await().atMost(60, TimeUnit.SECONDS).until(() -> Api.reader().get("/v1/users/" + ADA).then().extract().path("stage") != null
                && "MONETIZED".equals(Api.reader().get("/v1/users/" + ADA).then().extract().path("stage")));

        Response registered = upload(HandBuiltRecommender.build(USERS, FACTORS), mapping()).multiPart("name", "by-hand")
                .multiPart("activate", "true").post("/v1/models/recommender");
        assertThat(registered.statusCode()).as(registered.asString()).isEqualTo(200);
        long id = registered.jsonPath().getLong("id");
        assertThat(registered.jsonPath().getBoolean("active")).isTrue();
        assertThat(registered.jsonPath().getString("sha256")).hasSize(64);

        Response answer = Api.reader().get("/v1/users/" + ADA + "/recommendations?k=2");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("strategy")).isEqualTo("personalised");
        assertThat(answer.jsonPath().getLong("model.id")).isEqualTo(id);
        assertThat(answer.jsonPath().getList("items.itemId")).as("best unseen first; i1, i3, i5 are hers").containsExactly(item(2), item(4));
        assertThat(answer.jsonPath().getFloat("items[0].score")).isEqualTo(0.9f);

        Response excluded = Api.reader().get("/v1/users/" + ADA + "/recommendations?k=2&exclude=" + item(2));
        assertThat(excluded.jsonPath().getList("items.itemId")).as("only i4 is left unseen").containsExactly(item(4));

        Api.reader().get("/v1/models").then().statusCode(200).body("models.id", hasItem((int) id));
    }

    @Test
    @Order(2)
    void activatingAnotherVersionSwapsWithoutRestart() {
        float[][] reversed = {{0f, 1f}, {0f, 1f}};   // ada now likes the second axis: i3 (seen), then i4
        long second = upload(HandBuiltRecommender.build(reversed, FACTORS), mapping()).post("/v1/models/recommender")
                .then().statusCode(200).body("active", equalTo(false)).extract().jsonPath().getLong("id");
        Api.admin().post("/v1/models/" + second + "/activate").then().statusCode(200).body("active", equalTo(true));
        Response answer = Api.reader().get("/v1/users/" + ADA + "/recommendations?k=1");
        assertThat(answer.jsonPath().getLong("model.id")).isEqualTo(second);
        assertThat(answer.jsonPath().getList("items.itemId")).containsExactly(item(4));
    }

    @Test
    @Order(3)
    void coldUsersGetThePopularItemsAndUnknownUsersAProblem() {
        popularity.refresh();   // the schedule's minute is longer than this test
        Response cold = Api.reader().get("/v1/users/" + COLD + "/recommendations?k=3");
        assertThat(cold.statusCode()).as(cold.asString()).isEqualTo(200);
        assertThat(cold.jsonPath().getString("strategy")).isIn("popular", "popular-in-interests");
        assertThat(cold.jsonPath().getString("model")).isNull();
        Api.reader().get("/v1/users/nobody-" + RUN + "/recommendations").then().statusCode(404).body("type", equalTo("/problems/unknown-user"));
        Api.reader().get("/v1/users/" + ADA + "/recommendations?k=0").then().statusCode(400).body("parameter", equalTo("k"));
        Api.reader().get("/v1/users/" + ADA + "/recommendations?k=abc").then().statusCode(400).body("parameter", equalTo("k"));
    }

    @Test
    @Order(4)
    void graphsAndMappingsThatBreakTheContractAreRefusedWithTheReason() {
        byte[] good = HandBuiltRecommender.build(USERS, FACTORS);
        upload(good, null).post("/v1/models/recommender").then().statusCode(400).body("field", equalTo("mapping"));
        upload(good, "{\"users\":[\"a\"]}").post("/v1/models/recommender").then().statusCode(422)
                .body("type", equalTo("/problems/model-contract")).body("violations", hasItem("mapping.items must be a non-empty array of ids"));
        upload("not a model".getBytes(), mapping()).post("/v1/models/recommender").then().statusCode(422)
                .body("type", equalTo("/problems/model-contract"));
        upload(good, mapping()).post("/v1/models/churn").then().statusCode(422)
                .body("violations[0]", equalTo("input 'features' is missing; inputs are [user, seen_mask, k]"));
        upload(good, mapping()).post("/v1/models/astrology").then().statusCode(404).body("kind", equalTo("astrology"));
        Api.reader().get("/v1/models/987654321/evaluation").then().statusCode(404);
        RestAssured.given().header("Authorization", "Bearer " + Api.READ_KEY).multiPart("model", "m.onnx", good)
                .multiPart("mapping", mapping()).post("/v1/models/recommender").then().statusCode(403);
    }

    @Test
    @Order(5)
    void similarItemsComeFromWhatTheSameUsersEngagedWith() {
        Response similar = Api.reader().get("/v1/items/" + item(1) + "/similar?k=5");
        assertThat(similar.statusCode()).as(similar.asString()).isEqualTo(200);
        assertThat(similar.jsonPath().getList("items.itemId")).as("ada bought i1 with i3 and i5").contains(item(3), item(5));
        assertThat(similar.jsonPath().getDouble("items[0].score")).isBetween(0.0, 1.0);
        Api.reader().get("/v1/items/nothing-" + RUN + "/similar").then().statusCode(404).body("type", equalTo("/problems/unknown-item"));
    }
    /** docs/operations.md: the served model, its execution provider and its inference latency on the node's /q/metrics. */
    @Test
    @Order(6)
    void servingIsVisibleInReadinessAndMetrics() {
        long active = Api.reader().get("/v1/models").then().statusCode(200).extract().jsonPath()
                .getLong("models.find { it.active && it.kind == 'recommender' }.id");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(
                RestAssured.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                        .getString("checks.find { it.name == '" + ModelsReadiness.NAME + "' }.data.recommender"))
                .startsWith("model " + active + " ").endsWith(" on CPU"));
        Prometheus before = Prometheus.scrape();
        for (int i = 0; i < 3; i++) {
            Api.reader().get("/v1/users/" + ADA + "/recommendations?k=2").then().statusCode(200);
        }
        Prometheus after = Prometheus.scrape();
        assertThat(after.find("ulm_model_served", "kind", "recommender", "provider", "cpu", "model_id", Long.toString(active)))
                .singleElement().extracting(Prometheus.Sample::value).isEqualTo(1.0);
        String[] cpu = {"kind", "recommender", "provider", "cpu"};
        assertThat(after.sum("ulm_model_inference_seconds_count", cpu) - before.sum("ulm_model_inference_seconds_count", cpu))
                .as("ONNX Runtime calls (micro-batches) for 3 sequential requests").isEqualTo(3);
        assertThat(after.sum("ulm_model_inference_rows_sum", cpu) - before.sum("ulm_model_inference_rows_sum", cpu)).isEqualTo(3);
        // a histogram, so that percentiles aggregate across nodes: cumulative buckets up to +Inf
        assertThat(after.find("ulm_model_inference_seconds_bucket", cpu)).hasSizeGreaterThan(10)
                .anySatisfy(b -> assertThat(b.labels()).containsEntry("le", "+Inf"));
    }

    /** docs/models.md: items of an excluded category (fees) are masked from model answers, popular lists and similar items. */
    @Test
    @Order(7)
    void feesAreNeverRecommended() {
        // the active model (the reversed one) ranks i4 before i2 for ada; i1's users also bought i3 and i5
        assertThat(Api.reader().get("/v1/users/" + ADA + "/recommendations?k=2").jsonPath().getList("items.itemId"))
                .containsExactly(item(4), item(2));
        Response defined = Api.admin().body("[{\"id\":\"" + item(4) + "\",\"title\":\"Postage\",\"categories\":[\"fees\"]},"
                + "{\"id\":\"" + item(5) + "\",\"title\":\"Bank charges\",\"categories\":[\"fees\"]}]").post("/v1/items");
        assertThat(defined.statusCode()).as(defined.asString()).isEqualTo(200);
        for (String fee : List.of(item(4), item(5))) {
            E2e.awaitItem(fee, i -> i.path("categories").toString().contains("fees"));
        }
        popularity.refresh();   // the fee items ride on the popularity snapshot

        assertThat(Api.reader().get("/v1/users/" + ADA + "/recommendations?k=2").jsonPath().getList("items.itemId"))
                .as("i4 is masked although the model ranks it first").containsExactly(item(2));
        List<String> similar = Api.reader().get("/v1/items/" + item(1) + "/similar?k=5").jsonPath().getList("items.itemId");
        assertThat(similar).contains(item(3)).doesNotContain(item(5));
        Response fees = Api.reader().get("/v1/users/" + COLD + "/recommendations?k=5&category=fees");
        assertThat(fees.statusCode()).as(fees.asString()).isEqualTo(200);
        assertThat(fees.jsonPath().getList("items")).as("ada's i5 is the only fee anyone bought: popular in 'fees' before").isEmpty();
    }
}
