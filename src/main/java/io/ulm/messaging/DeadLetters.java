package io.ulm.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.ulm.ingest.MessageError;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Invalid behaviour events go to {@code behaviour-events-dlq}: the value is the rejected message itself (so it can be
 * fixed and re-sent as it is), the key the original key, and the reason travels in headers: {@code dead-letter-reason}
 * (the detail), {@code dead-letter-pointer} (the JSON Pointer of the field in the original record),
 * {@code dead-letter-problem} (the RFC 7807 problem, as the REST API answers) and where the record came from.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String CHANNEL = "behaviour-events-dlq";

    private final MutinyEmitter<byte[]> emitter;

    DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Sends one dead letter and waits for the broker's ack: the source record is acknowledged only afterwards. */
    void send(Source source, byte[] value, List<MessageError> errors) {
        MessageError first = errors.get(0);
        Problem problem = Problem.of(400, "invalid-messages", "Invalid message", first.detail()).with("errors", errors);
        RecordHeaders headers = new RecordHeaders();
        header(headers, "dead-letter-reason", first.detail());
        header(headers, "dead-letter-pointer", first.pointer());
        header(headers, "dead-letter-problem", json(problem.at("/" + source.topic())));
        header(headers, "dead-letter-topic", source.topic());
        header(headers, "dead-letter-partition", Integer.toString(source.partition()));
        header(headers, "dead-letter-offset", Long.toString(source.offset()));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(source.key()).withHeaders(headers).build();
        emitter.sendMessage(Message.of(value).addMetadata(metadata)).await().atMost(Duration.ofSeconds(30));
    }

    /** The part of a record that failed: a single message is the record's value, a batch message one element. */
    static byte[] bytes(JsonNode message) {
        return json(message).getBytes(StandardCharsets.UTF_8);
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Where a record came from. */
    record Source(String topic, int partition, long offset, String key) {
    }
}
