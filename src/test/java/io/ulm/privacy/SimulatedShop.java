package io.ulm.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.platform.Json;
import io.ulm.support.Api;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small simulated shop loaded once per test run into the privacy profile's database through the public API, as an
 * operator would: the simulator through the ingestion path (its last day is today), the lifecycle sweep, a segment
 * evaluation, both models trained, churn scored.
 */
public final class SimulatedShop {

    public static final int USERS = 120;
    public static final int DAYS = 75;
    private static boolean loaded;

    private SimulatedShop() {
    }

    public static synchronized void load(ClockSweep sweep) {
        if (loaded) {
            return;
        }
        Instant began = Instant.now();
        Instant start = Instant.now().minus(Duration.ofDays(DAYS)).truncatedTo(ChronoUnit.SECONDS);
        Response started = Api.admin().body("{\"seed\": 11, \"users\": " + USERS + ", \"days\": " + DAYS + ", \"start\": \"" + start
                + "\", \"target\": \"ingest\", \"rate\": 0}").post("/v1/admin/simulations");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        long run = started.jsonPath().getLong("id");
        await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> !"RUNNING".equals(Api.admin().get("/v1/admin/simulations/" + run).jsonPath().getString("state")));
        assertThat(Api.admin().get("/v1/admin/simulations/" + run).jsonPath().getString("state")).isEqualTo("DONE");
        sweep.sweep();   // inactivity transitions up to the watermark (the scheduled sweep is hourly in tests)
        awaitProjections();
        Api.admin().post("/v1/admin/segments/evaluate").then().statusCode(200);
        train("recommender");
        train("churn");
        Api.admin().post("/v1/admin/churn/score").then().statusCode(200);
        awaitProjections();
        loaded = true;
        System.out.println("SimulatedShop loaded in " + Duration.between(began, Instant.now()));
    }

    /** Trains the kind's models and waits until the run is done. */
    static void train(String kind) {
        Response r = Api.admin().post("/v1/models/" + kind + "/train");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        long id = r.jsonPath().getLong("id");
        await().atMost(180, TimeUnit.SECONDS).pollInterval(300, TimeUnit.MILLISECONDS)
                .until(() -> !"RUNNING".equals(Api.admin().get("/v1/models/training/" + id).jsonPath().getString("state")));
        Response done = Api.admin().get("/v1/models/training/" + id);
        assertThat(done.jsonPath().getString("state")).as(done.asString()).isEqualTo("DONE");
    }

    /** Every processor has read the whole log. */
    public static void awaitProjections() {
        await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
            JsonNode status = Json.mapper().readTree(Api.admin().get("/v1/admin/projections").asString());
            for (JsonNode processor : status.path("processors")) {
                if (processor.path("lag").asLong() > 0 || processor.path("replaying").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }
}
