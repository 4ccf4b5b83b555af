package io.ulm.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.platform.Json;
import io.ulm.support.Api;
import io.ulm.support.KafkaResource;
import io.ulm.support.PostgresResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Kafka in and out against a real broker (KafkaResource): valid, duplicate and invalid records on behaviour-events;
 * profiles through the REST API; dead letters with the reason; stage changes (and erasures) as CloudEvents on
 * lifecycle-events, published once even when a projection is replayed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(KafkaProfile.class)
class KafkaIngestTest {

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String ada = "kafka-ada-" + run;
    private final String bob = "kafka-bob-" + run;

    @Test
    void behaviourEventsInLifecycleEventsOut() throws Exception {
        // recent event times: the event-time clock is shared by all tests of the run and only moves forward
        String now = Instant.now().minusSeconds(30).toString();
        String order = "{\"type\":\"track\",\"userId\":\"" + ada + "\",\"event\":\"Order Completed\",\"messageId\":\"" + ada + "-m1\","
                + "\"timestamp\":\"" + now + "\",\"properties\":{\"revenue\":30}}";
        String batch = "{\"batch\":[{\"type\":\"page\",\"userId\":\"" + bob + "\",\"name\":\"Home\",\"timestamp\":\"" + now + "\"},"
                + "{\"type\":\"track\",\"userId\":\"" + bob + "\",\"event\":\"Product Viewed\",\"timestamp\":\"yesterday\"}]}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("behaviour-events", ada, order)).get();
            producer.send(new ProducerRecord<>("behaviour-events", ada, order)).get(); // the same message again
            producer.send(new ProducerRecord<>("behaviour-events", bob, batch)).get();
            producer.send(new ProducerRecord<>("behaviour-events", bob, "{\"type\":\"track\",\"userId\":")).get();
            producer.send(new ProducerRecord<>("behaviour-events", "nobody", "{\"type\":\"track\",\"event\":\"Signed Up\",\"messageId\":\"" + run + "\"}")).get();
        }

        // valid messages become profiles; the duplicate is stored once
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            Api.reader().get("/v1/users/" + ada).then().statusCode(200).body("stage", equalTo("MONETIZED")).body("purchases", equalTo(1));
            Api.reader().get("/v1/users/" + bob).then().statusCode(200);
        });

        // the invalid ones are dead letters whose reason names the field
        List<ConsumerRecord<String, String>> dead = poll("behaviour-events-dlq", 3,
                r -> r.key() != null && (r.key().equals(bob) || r.key().equals("nobody")));
        ConsumerRecord<String, String> badTimestamp = find(dead, r -> header(r, "dead-letter-pointer").equals("/batch/1/timestamp"));
        assertThat(Json.mapper().readTree(badTimestamp.value()).path("timestamp").asText()).isEqualTo("yesterday");
        assertThat(header(badTimestamp, "dead-letter-topic")).isEqualTo("behaviour-events");
        JsonNode problem = Json.mapper().readTree(header(badTimestamp, "dead-letter-problem"));
        assertThat(problem.path("type").asText()).isEqualTo("/problems/invalid-messages");
        assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/batch/1/timestamp");
        assertThat(header(find(dead, r -> r.key().equals(bob) && r != badTimestamp), "dead-letter-reason")).contains("not valid JSON");
        ConsumerRecord<String, String> noId = find(dead, r -> r.key().equals("nobody"));
        assertThat(header(noId, "dead-letter-reason") + " " + header(noId, "dead-letter-pointer")).containsIgnoringCase("userId");

        // the stage changes are CloudEvents keyed by user id, the id being the event's id
        List<ConsumerRecord<String, String>> out = poll("lifecycle-events", 1, r -> ada.equals(r.key()) && r.value().contains("MONETIZED"));
        JsonNode event = Json.mapper().readTree(find(out, r -> r.value().contains("MONETIZED")).value());
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("type").asText()).isEqualTo(LifecycleEventsRelay.STAGE_CHANGED);
        assertThat(event.path("subject").asText()).isEqualTo(ada);
        assertThat(event.path("source").asText()).isEqualTo("/ulm");
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(event.path("data").path("to").asText()).isEqualTo("MONETIZED");
        assertThat(event.path("data").path("userId").asText()).isEqualTo(ada);

        // a projection replay re-runs projections only: nothing is published again
        int published = poll("lifecycle-events", 0, r -> ada.equals(r.key())).size();
        Api.admin().post("/v1/admin/projections/user-profile/replay").then().statusCode(202);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> Api.admin().get("/v1/admin/projections/user-profile")
                .then().statusCode(200).body("replaying", equalTo(false)).body("lag", equalTo(0)));
        assertThat(poll("lifecycle-events", 0, r -> ada.equals(r.key()))).hasSize(published);
    }

    @Test
    void anErasureIsPublishedSoThatDownstreamCopiesCanBeErased() throws Exception {
        String cy = "kafka-cy-" + run;
        Api.writer().body("{\"type\":\"page\",\"userId\":\"" + cy + "\",\"name\":\"Home\",\"timestamp\":\""
                + Instant.now().minusSeconds(30) + "\"}").post("/v1/page").then().statusCode(200);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> Api.reader().get("/v1/users/" + cy).then().statusCode(200));
        Api.admin().post("/v1/users/" + cy + "/erase").then().statusCode(200);
        List<ConsumerRecord<String, String>> out = poll("lifecycle-events", 1,
                r -> cy.equals(r.key()) && r.value().contains(LifecycleEventsRelay.USER_ERASED));
        JsonNode event = Json.mapper().readTree(out.get(0).value());
        assertThat(event.path("type").asText()).isEqualTo(LifecycleEventsRelay.USER_ERASED);
        assertThat(event.path("subject").asText()).isEqualTo(cy);
        assertThat(event.path("data").path("pseudonym").asText()).startsWith("erased:");
    }

    /** Every record of the topic matching {@code match}, read from the start until at least {@code atLeast} arrived. */
    private static List<ConsumerRecord<String, String>> poll(String topic, int atLeast, Predicate<ConsumerRecord<String, String>> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<ConsumerRecord<String, String>> found = KafkaResource.readAll(topic, Duration.ofSeconds(20)).stream().filter(match).toList();
            if (found.size() >= atLeast) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected at least " + atLeast + " matching records on " + topic + ", found " + found.size());
            }
            Thread.sleep(200); // more may still come
        }
    }

    private static ConsumerRecord<String, String> find(List<ConsumerRecord<String, String>> records, Predicate<ConsumerRecord<String, String>> match) {
        return records.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError("no such record in " + records));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
