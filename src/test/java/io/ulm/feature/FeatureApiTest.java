package io.ulm.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /v1/users/{id}/features} on the hand-made scenario of FeatureCalculatorTest, sent through the public API:
 * the values rebuilt from the log at a date are the hand-computed ones, and the read model at the watermark equals
 * the log's rebuild at the same instant, field by field.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class FeatureApiTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String USER = "feat-" + RUN;
    private static final String A = "feat-a-" + RUN;
    private static final String B = "feat-b-" + RUN;
    private static final String FEE = "feat-post-" + RUN;

    static ObjectNode track(String at, String event, Object revenue, String... items) {
        ObjectNode properties = obj();
        if (revenue != null) {
            properties.set("revenue", E2e.JSON.valueToTree(revenue));
        }
        var products = arr();
        for (String item : items) {
            products.add(obj("product_id", item));
        }
        properties.set("products", products);
        return obj("type", "track", "userId", USER, "event", event, "timestamp", at, "messageId", USER + "-" + at, "properties", properties);
    }

    static double decayed(String at, double x, Instant t) {
        double days = Duration.between(Instant.parse(at), t).toNanos() / 86_400e9;
        return x * Math.pow(2, -days / 30.0);
    }

    @Test
    void theScenarioAsComputedByHandAndTheReadModelAgreesWithTheLog() {
        E2e.Reply items = E2e.reply(Api.admin().body(arr(obj("id", A, "categories", arr("kitchen")),
                obj("id", B, "categories", arr("lighting", "kitchen")), obj("id", FEE, "categories", arr("fees"))).toString()).post("/v1/items"));
        assertThat(items.status()).as(items.raw()).isEqualTo(200);
        // features join the catalogue's current categories when they are read, and the catalogue's read model is
        // another processor that may lag this request: the scenario starts once it knows the items
        for (String id : java.util.List.of(A, B, FEE)) {
            E2e.awaitItem(id, item -> true);
        }
        E2e.Reply sent = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", arr(
                track("2024-03-01T10:00:00Z", "Product Viewed", null, A),
                track("2024-03-01T10:20:00Z", "Product Viewed", null, B),
                track("2024-03-01T10:49:59Z", "Order Completed", new java.math.BigDecimal("30.00005"), A, B, FEE),
                track("2024-03-11T10:00:00Z", "Order Completed", 20, A),
                track("2024-03-21T10:00:00Z", "Order Refunded", 5, B))));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertThat(E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", arr(track("2024-03-05T10:00:00Z", "Product Viewed", null, A))))
                .status()).isEqualTo(200);

        JsonNode live = awaitFeatures(f -> f.path("activities").asLong() == 6 && f.path("tenureDays").isNumber());
        assertThat(live.path("basis").asText()).isEqualTo("watermark");
        JsonNode rebuilt = E2e.get(Api.READ_KEY, "/v1/users/" + USER + "/features?asOf=" + live.path("asOf").asText()).body();
        assertThat(rebuilt.path("basis").asText()).isEqualTo("asOf");
        ((ObjectNode) rebuilt).remove("basis");
        ((ObjectNode) live).remove("basis");
        assertThat(rebuilt).as("the projection at the watermark equals the log folded up to it").isEqualTo(live);

        Instant t = Instant.parse("2024-04-10T10:00:00Z");
        JsonNode f = E2e.reply(Api.reader().queryParam("asOf", "2024-04-10T12:00:00+02:00").get("/v1/users/" + USER + "/features")).body();
        assertThat(f.path("asOf").asText()).isEqualTo("2024-04-10T10:00:00Z");
        assertThat(f.path("acquiredAt").asText()).isEqualTo("2024-03-01T10:00:00Z");
        assertThat(f.path("tenureDays").asDouble()).isEqualTo(40.0);
        assertThat(f.path("sessions").asLong()).isEqualTo(3);
        assertThat(f.path("recencyDays").asDouble()).isEqualTo(20.0);
        assertThat(f.path("purchaseRecencyDays").asDouble()).isEqualTo(30.0);
        assertThat(f.path("meanInterPurchaseDays").asDouble()).isEqualTo(9.9653);
        assertThat(f.path("revenue").decimalValue()).isEqualByComparingTo("50.0001");
        assertThat(f.path("refunded").decimalValue()).isEqualByComparingTo("5");
        assertThat(f.path("netRevenue").decimalValue()).isEqualByComparingTo("45.0001");
        assertThat(f.path("averageOrderValue").decimalValue()).isEqualByComparingTo("25.0001");
        assertThat(f.path("activityLast4Weeks").asLong()).isEqualTo(1);
        assertThat(f.path("activityPrevious4Weeks").asLong()).isEqualTo(5);
        assertThat(f.path("activityTrend").asDouble()).isEqualTo(-0.6667);
        assertThat(f.path("categoryHalfLife").asText()).isEqualTo("PT720H");
        double a = decayed("2024-03-01T10:00:00Z", 1, t) + decayed("2024-03-01T10:49:59Z", 3, t) + decayed("2024-03-11T10:00:00Z", 3, t)
                + decayed("2024-03-05T10:00:00Z", 1, t);
        double b = decayed("2024-03-01T10:20:00Z", 1, t) + decayed("2024-03-01T10:49:59Z", 3, t);
        JsonNode interests = f.path("categoryInterests");
        assertThat(interests).hasSize(2);                           // fees excluded
        assertThat(interests.get(0).path("category").asText()).isEqualTo("kitchen");
        assertThat(interests.get(0).path("weight").asDouble()).isCloseTo(a + b, within(1e-12));
        assertThat(interests.get(1).path("category").asText()).isEqualTo("lighting");
        assertThat(interests.get(1).path("weight").asDouble()).isCloseTo(b, within(1e-12));

        // a week earlier: the refund and the late view (5 March) had not happened at 4 March
        JsonNode earlier = E2e.get(Api.READ_KEY, "/v1/users/" + USER + "/features?asOf=2024-03-04T00:00:00Z&top=1").body();
        assertThat(earlier.path("activities").asLong()).isEqualTo(3);
        assertThat(earlier.path("purchases").asLong()).isEqualTo(1);
        assertThat(earlier.path("meanInterPurchaseDays").isNull()).isTrue();
        assertThat(earlier.path("categoryInterests")).hasSize(1);
    }

    @Test
    void badParametersAndUnknownUsersAreProblems() {
        E2e.Reply badAsOf = E2e.get(Api.READ_KEY, "/v1/users/" + USER + "/features?asOf=1%20March");
        assertThat(badAsOf.status()).isEqualTo(400);
        assertThat(badAsOf.body().path("parameter").asText()).isEqualTo("asOf");
        assertThat(E2e.get(Api.READ_KEY, "/v1/users/" + USER + "/features?top=0").body().path("parameter").asText()).isEqualTo("top");
        E2e.Reply unknown = E2e.get(Api.READ_KEY, "/v1/users/nobody-" + RUN + "/features");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("type").asText()).isEqualTo("/problems/unknown-user");
        assertThat(E2e.get("no-such-key", "/v1/users/" + USER + "/features").status()).isEqualTo(401);
    }

    private static JsonNode awaitFeatures(java.util.function.Predicate<JsonNode> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        E2e.Reply last;
        do {
            last = E2e.get(Api.READ_KEY, "/v1/users/" + USER + "/features");
            if (last.status() == 200 && ready.test(last.body())) {
                return last.body();
            }
            E2e.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("features not as expected within 20 s: " + last);
    }
}
