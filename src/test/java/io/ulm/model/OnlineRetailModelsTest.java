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
import static org.assertj.core.api.Assertions.within;
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
    @Inject
    OnnxModels models;
    @Inject
    io.ulm.recommend.UserContext userContext;

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
        assertThat(models.active(ModelKind.RECOMMENDER).orElseThrow().items()).as("postage and other fees are never learnt")
                .isNotEmpty().doesNotContainAnyElementsOf(fees());

        String user = E2e.rows(dataSource, "SELECT p.user_id FROM user_profile p JOIN user_item i ON i.user_id = p.user_id "
                + "WHERE p.stage IN ('MONETIZED', 'LOYAL', 'ENGAGED', 'REACTIVATED') GROUP BY p.user_id HAVING count(*) >= 10 "
                + "ORDER BY p.user_id LIMIT 1").get(0).get("user_id").toString();
        Response answer = Api.reader().get("/v1/users/" + user + "/recommendations?k=10");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(models.active(ModelKind.SEQUENTIAL)).as("no sequential model yet").isEmpty();
        assertThat(models.active(ModelKind.RECOMMENDER).orElseThrow().hasScores())
                .as("no scores session (a second copy of the weights) while no blend is servable").isFalse();
        assertThat(answer.jsonPath().getString("strategy")).isEqualTo("personalised");
        assertThat(answer.jsonPath().getLong("model.id")).isEqualTo(modelId);
        List<String> items = answer.jsonPath().getList("items.itemId");
        assertThat(items).hasSize(10).doesNotHaveDuplicates();
        List<String> seen = E2e.rows(dataSource, "SELECT item_id FROM user_item WHERE user_id = '" + user + "'").stream()
                .map(r -> r.get("item_id").toString()).toList();
        assertThat(items).as("never what she already has").doesNotContainAnyElementsOf(seen);
        assertThat(answer.jsonPath().getString("items[0].title")).as("catalogue titles").isNotBlank();
    }

    @Test
    @Order(3)
    void theChurnModelsAreTrainedOutOfTimeTheBestValidatedIsServedAndScoresRaiseRiskOnce() {
        JsonPath run = train("churn");
        long served = run.getLong("modelId");
        JsonPath evaluation = Api.reader().get("/v1/models/" + served + "/evaluation").then().statusCode(200).extract().jsonPath();
        System.out.println("[models] churn evaluation: " + evaluation.getMap("evaluation"));
        Map<String, Map<String, Object>> test = evaluation.getMap("evaluation.test");
        assertThat(test).containsKeys("xgboost", "logistic", "recency-rule", "bg-nbd-not-alive", "bg-nbd-no-purchase-in-horizon");
        double recency = auc(test, "recency-rule");
        assertThat(Math.max(auc(test, "xgboost"), auc(test, "logistic"))).as("the best learned model beats the recency rule, same split")
                .isGreaterThan(recency);
        // both learned models are registered; the active one is the one that validated best
        List<Map<String, Object>> churnModels = Api.reader().get("/v1/models").jsonPath().getList("models.findAll { it.kind == 'churn' }");
        assertThat(churnModels).hasSize(2);
        Map<String, Object> best = churnModels.stream().max((a, b) -> Double.compare(validation(a), validation(b))).orElseThrow();
        assertThat(((Number) best.get("id")).longValue()).isEqualTo(served);
        assertThat(best.get("active")).isEqualTo(true);

        Response risk = Api.reader().get("/v1/users/12347/churn-risk");
        assertThat(risk.statusCode()).as(risk.asString()).isEqualTo(200);
        assertThat(risk.jsonPath().getDouble("score")).isBetween(0.0, 1.0);
        assertThat(risk.jsonPath().getDouble("pAlive")).isBetween(0.0, 1.0);
        assertThat(risk.jsonPath().getDouble("expectedPurchases")).isGreaterThanOrEqualTo(0.0);
        assertThat(risk.jsonPath().getDouble("clv")).isGreaterThanOrEqualTo(0.0);
        assertThat(risk.jsonPath().getLong("model.id")).isEqualTo(served);
        assertThat(risk.jsonPath().getList("contributions")).hasSize(5);

        JsonPath first = Api.admin().post("/v1/admin/churn/score").then().statusCode(200).extract().jsonPath();
        System.out.println("[models] churn scoring: " + first.prettify());
        assertThat(first.getLong("users")).isGreaterThan(4000);
        long raised = first.getLong("raised");
        assertThat(raised).isPositive();
        long events = E2e.count(dataSource, "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%ChurnRiskRaised'");
        assertThat(events).as("one ChurnRiskRaised per user over the threshold").isEqualTo(raised);
        assertThat(E2e.count(dataSource, "SELECT count(*) FROM churn_score")).isEqualTo(first.getLong("users"));
        Api.admin().post("/v1/admin/churn/score").then().statusCode(200);
        assertThat(E2e.count(dataSource, "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%ChurnRiskRaised'"))
                .as("a second run at the same watermark raises nothing again").isEqualTo(events);
        Api.reader().get("/v1/users/nobody-at-all/churn-risk").then().statusCode(404);
    }

    @Test
    @Order(4)
    void theSequentialModelIsTrainedThroughTheApiEvaluatedUnderBothProtocolsAndServesEngagedUsers() throws Exception {
        // a run cancelled while it reads the log (seconds on this data) stops at its next step and registers nothing
        long cancelled = Api.admin().post("/v1/models/sequential/train").then().statusCode(202).extract().jsonPath().getLong("id");
        Response cancelling = Api.admin().post("/v1/models/training/" + cancelled + "/cancel");
        assertThat(cancelling.statusCode()).as(cancelling.asString()).isEqualTo(202);
        assertThat(cancelling.jsonPath().getString("cancelRequestedAt")).isNotNull();
        await().atMost(2, TimeUnit.MINUTES).pollInterval(200, TimeUnit.MILLISECONDS).until(() ->
                !"RUNNING".equals(Api.reader().get("/v1/models/training/" + cancelled).jsonPath().getString("state")));
        JsonPath stopped = Api.reader().get("/v1/models/training/" + cancelled).jsonPath();
        assertThat(stopped.getString("state")).as(stopped.prettify()).isEqualTo("CANCELLED");
        assertThat(stopped.getString("modelId")).isNull();
        assertThat(models.active(ModelKind.SEQUENTIAL)).as("nothing registered").isEmpty();
        Api.admin().post("/v1/models/training/" + cancelled + "/cancel").then().statusCode(409).body("state", org.hamcrest.Matchers.equalTo("CANCELLED"));
        Api.admin().post("/v1/models/training/987654321/cancel").then().statusCode(404).body("trainingId", org.hamcrest.Matchers.equalTo(987654321));
        Api.reader().post("/v1/models/training/" + cancelled + "/cancel").then().statusCode(403);

        Response started = Api.admin().post("/v1/models/sequential/train");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        long id = started.jsonPath().getLong("id");
        java.util.Set<String> steps = new java.util.LinkedHashSet<>();
        await().atMost(10, TimeUnit.MINUTES).pollInterval(100, TimeUnit.MILLISECONDS).until(() -> {
            JsonPath now = Api.reader().get("/v1/models/training/" + id).jsonPath();
            steps.add(now.getString("step"));
            return !"RUNNING".equals(now.getString("state"));
        });
        JsonPath run = Api.reader().get("/v1/models/training/" + id).jsonPath();
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("DONE");
        assertThat(steps).as("progress is reported epoch by epoch").anyMatch(s -> s.startsWith("training SASRec: epoch"));
        long modelId = run.getLong("modelId");

        JsonPath evaluation = Api.reader().get("/v1/models/" + modelId + "/evaluation").then().statusCode(200).extract().jsonPath();
        System.out.println("[models] sequential evaluation: " + evaluation.getMap("evaluation"));
        assertThat(evaluation.getString("kind")).isEqualTo("sequential");
        assertThat(evaluation.getInt("evaluation.training.epochs")).isEqualTo(2);
        List<Map<String, Object>> sampled = evaluation.getList("evaluation.sampled");
        List<Map<String, Object>> full = evaluation.getList("evaluation.test");
        for (List<Map<String, Object>> protocol : List.of(sampled, full)) {
            assertThat(protocol).extracting(m -> m.get("model") + "@" + m.get("k"))
                    .contains("SASRec@10", "Popularity@10", "ALS@10", "ItemKNN@10", "SASRec@20");
        }
        // a random order puts the test item at each of the 101 places alike: E[NDCG@10] = (1/101) Σ_{r=1..10} 1/log2(r+1)
        double chance = java.util.stream.IntStream.rangeClosed(1, 10).mapToDouble(r -> 1 / (Math.log(r + 1) / Math.log(2))).sum() / 101;
        assertThat(ndcg(sampled, "SASRec")).as("far above chance (%.3f) after two epochs", chance).isGreaterThan(3 * chance);

        String user = E2e.rows(dataSource, "SELECT p.user_id FROM user_profile p JOIN user_item_interest w ON w.user_id = p.user_id "
                + "WHERE p.stage IN ('MONETIZED', 'LOYAL', 'ENGAGED', 'REACTIVATED') GROUP BY p.user_id HAVING count(*) >= 10 "
                + "ORDER BY p.user_id LIMIT 1").get(0).get("user_id").toString();
        assertThat(models.active(ModelKind.SEQUENTIAL).orElseThrow().items()).as("postage and other fees are never learnt")
                .isNotEmpty().doesNotContainAnyElementsOf(fees());
        double weight = evaluation.getDouble("evaluation.blend.sequential");
        System.out.println("[models] ALS + SASRec blend tuned on validation: " + evaluation.getMap("evaluation.blend"));
        assertThat(weight).as("the tuned blend mixes both models (else the single model is served)").isStrictlyBetween(0.0, 1.0);
        Response answer = Api.reader().get("/v1/users/" + user + "/recommendations?k=10");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(models.active(ModelKind.RECOMMENDER).orElseThrow().hasScores() && models.active(ModelKind.SEQUENTIAL).orElseThrow().hasScores())
                .as("both blended models read every item's score from their derived scores sessions (no TopK)").isTrue();
        assertThat(answer.jsonPath().getString("strategy")).isEqualTo("personalised");
        assertThat(answer.jsonPath().getLong("model.id")).isEqualTo(modelId);
        assertThat(answer.jsonPath().getString("model.kind")).isEqualTo("hybrid");
        assertThat(answer.jsonPath().getString("model.name")).isEqualTo("als+sasrec");
        List<Map<String, Object>> blend = answer.jsonPath().getList("model.blend");
        assertThat(blend).extracting(c -> c.get("kind") + "/" + c.get("name")).containsExactly("recommender/als", "sequential/sasrec");
        // RestAssured reads JSON numbers as floats: 0.2 comes back as 0.2f
        assertThat(((Number) blend.get(1).get("weight")).doubleValue()).isCloseTo(weight, within(1e-6));
        assertThat(blend.stream().mapToDouble(c -> ((Number) c.get("weight")).doubleValue()).sum()).isCloseTo(1.0, within(1e-6));
        Map<String, Double> offline = OfflineBlend.top(models, userContext.of(user).orElseThrow(), 10,
                new double[]{evaluation.getDouble("evaluation.blend.recommender"), weight});
        assertThat(answer.jsonPath().getList("items.itemId", String.class)).as("the offline Hybrid over both registered graphs' scores")
                .containsExactlyElementsOf(offline.keySet());
        List<Float> served = answer.jsonPath().getList("items.score", Float.class);
        List<Double> expected = List.copyOf(offline.values());
        for (int i = 0; i < served.size(); i++) {
            assertThat((double) served.get(i)).isCloseTo(expected.get(i), within(1e-6));
        }
        List<String> items = answer.jsonPath().getList("items.itemId");
        assertThat(items).hasSize(10).doesNotHaveDuplicates();
        List<String> seen = E2e.rows(dataSource, "SELECT item_id FROM user_item WHERE user_id = '" + user + "'").stream()
                .map(r -> r.get("item_id").toString()).toList();
        assertThat(items).as("never what she already has").doesNotContainAnyElementsOf(seen);
        List<Map<String, Object>> recommenders = Api.reader().get("/v1/models").jsonPath().getList("models.findAll { it.kind == 'recommender' }");
        assertThat(recommenders).as("the factorisation stays active beside it").anyMatch(m -> Boolean.TRUE.equals(m.get("active")));

        String few = E2e.rows(dataSource, "SELECT p.user_id FROM user_profile p WHERE p.stage IN ('MONETIZED', 'LOYAL', 'ENGAGED', 'REACTIVATED') "
                + "AND (SELECT count(*) FROM user_item_interest w WHERE w.user_id = p.user_id) BETWEEN 1 AND 4 "
                + "AND (SELECT count(*) FROM user_item i WHERE i.user_id = p.user_id) >= 3 ORDER BY p.user_id LIMIT 1").get(0).get("user_id").toString();
        JsonPath alone = Api.reader().get("/v1/users/" + few + "/recommendations?k=10").then().statusCode(200).extract().jsonPath();
        assertThat(alone.getString("model.kind")).as("below min-history: the factorisation alone").isEqualTo("recommender");
        assertThat(alone.getString("model.blend")).isNull();
    }

    /** The catalogue's fee lines (postage, bank charges …): the import puts them in category {@code fees}. */
    private List<String> fees() {
        List<String> fees = E2e.rows(dataSource, "SELECT item_id FROM item WHERE 'fees' = ANY (categories)").stream()
                .map(r -> r.get("item_id").toString()).toList();
        assertThat(fees).as("the retail catalogue has fee lines").contains("POST");
        return fees;
    }

    private static double auc(Map<String, Map<String, Object>> test, String model) {
        return ((Number) test.get(model).get("rocAuc")).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static double validation(Map<String, Object> model) {
        return ((Number) ((Map<String, Object>) model.get("metrics")).get("validationRocAuc")).doubleValue();
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
