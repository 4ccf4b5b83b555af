package io.ulm.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.ulm.platform.health.ProcessorsReadiness;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Kafka switched on (docs/operations.md), readiness covers the broker through SmallRye Reactive Messaging's
 * check of every channel, and the processors check lists the relays that publish to it. (Without Kafka the channels
 * are disabled and absent from readiness: HealthAndMetricsTest.)
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(KafkaProfile.class)
class KafkaReadinessTest {

    @Test
    void readinessCoversTheKafkaChannelsAndTheRelays() {
        JsonPath ready = RestAssured.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> checks = ready.getList("checks");
        Map<String, Object> messaging = checks.stream().filter(c -> String.valueOf(c.get("name")).contains("Reactive Messaging"))
                .findFirst().orElseThrow(() -> new AssertionError("no messaging check in " + checks));
        assertThat(messaging.get("status")).isEqualTo("UP");
        assertThat(messaging.get("data").toString()).contains(BehaviourEventsConsumer.CHANNEL, LifecycleEventsRelay.CHANNEL,
                WinbackActionsRelay.CHANNEL);
        @SuppressWarnings("unchecked")
        Map<String, String> processors = (Map<String, String>) checks.stream()
                .filter(c -> ProcessorsReadiness.NAME.equals(c.get("name"))).findFirst().orElseThrow().get("data");
        assertThat(processors).containsKey("winback-saga").hasEntrySatisfying("kafka-lifecycle-events",
                state -> assertThat(state).startsWith("running"));
    }
}
