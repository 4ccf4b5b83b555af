package io.ulm.model;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.ulm.catalogue.SharedData;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.ImportService;
import io.ulm.ingest.Imports;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the issue's "done when" describes, on Online Retail: import the data and its catalogue, train through the
 * API, read the evaluation beside the baselines, and get recommendations from ONNX Runtime.
 */
@QuarkusTest
@TestProfile(ModelsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineRetailModelsTest {

    @Inject
    Imports imports;
    @Inject
    ProjectionProgress progress;
    @Inject
    DataSource dataSource;

    @Test
    @Order(1)
    void importTheDataAndItsCatalogue() throws Exception {
        ImportService.Result result;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.path(SharedData.RETAIL)), 1 << 16)) {
            result = imports.csv(in, CsvMapping.load("online-retail"), "test", null);
        }
        assertThat(result.rejected()).isZero();
        RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType("application/gzip")
                .body(Files.readAllBytes(SharedData.path(SharedData.RETAIL))).post("/v1/items/import?source=online-retail")
                .then().statusCode(200);
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
    }

    @Test
    @Order(2)
    void theRecommenderIsTrainedEvaluatedBesideItsBaselinesAndServed() {
        JsonPath run = train("recommender");
        long modelId = run.getLong("modelId");
        JsonPath evaluation = Api.reader().get("/v1/models/" + modelId + "/evaluation").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> test = evaluation.getList("evaluation.test");
        System.out.println("[models] recommender evaluation: " + evaluation.getMap("evaluation"));
        assertThat(test).extracting(m -> m.get("model") + "@" + m.get("k")).contains("Popularity@10", "ALS@10", "ItemKNN@10",
                "ContentBased@10", "Hybrid@10", "ALS@20");
        assertThat(ndcg(test, "ALS")).as("the factorisation beats popularity, measured on the same split").isGreaterThan(ndcg(test, "Popularity"));

        String user = E2e.rows(dataSource, "SELECT p.user_id FROM user_profile p JOIN user_item i ON i.user_id = p.user_id "
                + "WHERE p.stage IN ('MONETIZED', 'LOYAL', 'ENGAGED', 'REACTIVATED') GROUP BY p.user_id HAVING count(*) >= 10 "
                + "ORDER BY p.user_id LIMIT 1").get(0).get("user_id").toString();
        Response answer = Api.reader().get("/v1/users/" + user + "/recommendations?k=10");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("strategy")).isEqualTo("personalised");
        assertThat(answer.jsonPath().getLong("model.id")).isEqualTo(modelId);
        List<String> items = answer.jsonPath().getList("items.itemId");
        assertThat(items).hasSize(10).doesNotHaveDuplicates();
        List<String> seen = E2e.rows(dataSource, "SELECT item_id FROM user_item WHERE user_id = '" + user + "'").stream()
                .map(r -> r.get("item_id").toString()).toList();
        assertThat(items).as("never what she already has").doesNotContainAnyElementsOf(seen);
        assertThat(answer.jsonPath().getString("items[0].title")).as("catalogue titles").isNotBlank();
    }

    static JsonPath train(String kind) {
        Response started = Api.admin().post("/v1/models/" + kind + "/train");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        long id = started.jsonPath().getLong("id");
        await().atMost(10, TimeUnit.MINUTES).pollInterval(1, TimeUnit.SECONDS).until(() ->
                !"RUNNING".equals(Api.reader().get("/v1/models/training/" + id).jsonPath().getString("state")));
        JsonPath run = Api.reader().get("/v1/models/training/" + id).jsonPath();
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getDouble("progress")).isEqualTo(1.0);
        return run;
    }

    private static double ndcg(List<Map<String, Object>> metrics, String model) {
        return metrics.stream().filter(m -> model.equals(m.get("model")) && ((Number) m.get("k")).intValue() == 10)
                .mapToDouble(m -> ((Number) m.get("ndcg")).doubleValue()).findFirst().orElseThrow();
    }
}
