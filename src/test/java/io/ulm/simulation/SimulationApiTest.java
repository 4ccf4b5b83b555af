package io.ulm.simulation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /v1/admin/simulations}: a simulated shop through the ingestion path, or to files; bad requests named. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SimulationApiTest {

    @Test
    void aSimulationGoesThroughTheIngestionPathAndLeavesProfilesAndItems() {
        Instant start = Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonPath run = finish(Api.admin().body("{\"seed\": 7, \"users\": 40, \"days\": 30, \"start\": \"" + start + "\", \"target\": \"ingest\"}")
                .post("/v1/admin/simulations"));
        assertThat(run.getLong("messages")).isPositive();
        SimulationSettings settings = SimulationSettings.defaults().withSeed(7).withScale(40, 30, 30).withStart(start);
        Simulator same = new Simulator(settings);
        same.run(message -> { });   // the truth lists the users the run admitted
        String user = same.truth().findFirst().orElseThrow().userId();
        await().atMost(60, TimeUnit.SECONDS).until(() -> Api.reader().get("/v1/users/" + user).statusCode() == 200);
        String item = same.catalogue().items().get(0).id();
        Api.reader().get("/v1/items/" + item).then().statusCode(200).body("source", equalTo("catalogue"));
    }

    @Test
    void filesHoldTheMessagesTheItemsAndTheTruth() {
        JsonPath run = finish(Api.admin().body("{\"seed\": 3, \"users\": 20, \"days\": 10, \"target\": \"files\"}").post("/v1/admin/simulations"));
        Path dir = Path.of(run.getString("directory"));
        for (String file : new String[]{"messages.ndjson", "items.ndjson", "truth.ndjson"}) {
            assertThat(dir.resolve(file)).as(file).exists().isNotEmptyFile();
        }
        assertThat(run.getLong("messages")).isPositive();
    }

    @Test
    void badRequestsNameTheField() {
        Api.admin().body("{\"users\": 0}").post("/v1/admin/simulations").then().statusCode(400).body("field", equalTo("users"));
        Api.admin().body("{\"target\": \"kafka-later\"}").post("/v1/admin/simulations").then().statusCode(400).body("field", equalTo("target"));
        Api.admin().get("/v1/admin/simulations/987654").then().statusCode(404);
        Api.reader().body("{}").contentType("application/json").post("/v1/admin/simulations").then().statusCode(403);
    }

    private static JsonPath finish(Response started) {
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        long id = started.jsonPath().getLong("id");
        await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> !"RUNNING".equals(Api.admin().get("/v1/admin/simulations/" + id).jsonPath().getString("state")));
        JsonPath run = Api.admin().get("/v1/admin/simulations/" + id).jsonPath();
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("DONE");
        return run;
    }
}
