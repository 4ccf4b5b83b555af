package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.messaging.KafkaProfile;
import io.ulm.messaging.WinbackActionsRelay;
import io.ulm.support.E2e;
import io.ulm.support.KafkaResource;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code winback-actions} on a real broker: a LOST episode's four actions are published by the outbox relay, keyed by
 * user, with the outbox's {@code action-id} header and JSON, each exactly once (a further relay pass sends nothing).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(KafkaProfile.class)
class WinbackActionsKafkaTest {

    private static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of("projections/winback")).get("winback-default");

    @Inject
    DataSource db;
    @Inject
    WinbackSteps steps;
    @Inject
    LifecycleClock clock;
    @Inject
    WinbackActionsRelay relay;

    @Test
    void everyActionOnceWithItsIdAndContent() {
        SagaDriver saga = new SagaDriver(db, steps, clock);
        String fay = SagaDriver.userIn(POLICY, "kafka-fay", "reminder-then-offer");
        saga.customer(fay, SagaDriver.day(31), 50);   // AT_RISK yesterday: a live episode
        SagaDriver.await("fay's entry", () -> saga.types(fay).contains("WinbackStarted"));
        saga.wakeUntilEnded(fay);   // her offer and the window's end, in event time
        SagaDriver.await("the relay", () -> E2e.count(db, "SELECT count(*) FROM outbox WHERE msg_key = ? AND sent_at IS NULL", fay) == 0);

        List<Map<String, Object>> outbox = E2e.rows(db, "SELECT action_id, payload::text AS p FROM outbox WHERE msg_key = ? ORDER BY id", fay);
        assertThat(outbox).hasSize(4);
        List<ConsumerRecord<String, String>> records = records(fay);
        assertThat(records).hasSize(4);
        for (int i = 0; i < 4; i++) {
            ConsumerRecord<String, String> r = records.get(i);
            assertThat(r.key()).isEqualTo(fay);
            assertThat(header(r, "action-id")).isEqualTo(outbox.get(i).get("action_id"));
            assertThat(E2e.parse(r.value())).isEqualTo(E2e.parse((String) outbox.get(i).get("p")));
        }
        List<JsonNode> values = records.stream().map(r -> E2e.parse(r.value())).toList();
        assertThat(values).extracting(v -> v.path("type").asText())
                .containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent", "WinbackEnded");
        assertThat(values.get(0).path("campaignId").asText()).isEqualTo("winback-default");
        assertThat(values.get(2).path("tier").asText()).isEqualTo("standard");
        assertThat(values.get(3).path("outcome").asText()).isEqualTo("LOST");

        // the relay again (as after a restart): nothing left to send, nothing on the topic twice
        relay.publishBatch();
        saga.sweep();
        assertThat(records(fay)).hasSize(4);
        assertThat(records(fay).stream().map(r -> header(r, "action-id")).distinct()).hasSize(4);
    }

    /** Every record of winback-actions keyed by {@code user}, from the start to the end of the topic. */
    static List<ConsumerRecord<String, String>> records(String user) {
        return KafkaResource.readAll("winback-actions", Duration.ofSeconds(20)).stream().filter(r -> user.equals(r.key())).toList();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
