package io.ulm.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class IngestSmokeTest {

    @Test
    void trackThenProfile() {
        // a recent event time: the event-time clock is shared by all tests of the run and only moves forward
        String now = java.time.Instant.now().minusSeconds(60).toString();
        Api.writer().body("{\"userId\":\"smoke-1\",\"event\":\"Order Completed\",\"messageId\":\"smoke-m1\",\"timestamp\":\"" + now
                        + "\",\"properties\":{\"revenue\":12.5}}")
                .post("/v1/track").then().log().ifValidationFails().statusCode(200).body("accepted", equalTo(1));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                Api.reader().get("/v1/users/smoke-1").then().log().ifValidationFails().statusCode(200)
                        .body("stage", equalTo("MONETIZED")).body("purchases", equalTo(1)));
    }
}
