package io.ulm.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.ulm.ingest.EventContract;
import io.ulm.ingest.IngestMetrics;
import io.ulm.ingest.IngestService;
import io.ulm.ingest.MessageError;
import io.ulm.ingest.MessageParser;
import io.ulm.platform.Json;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The {@code behaviour-events} topic: each record holds what {@code POST /v1/batch} or a single-message endpoint takes
 * (a batch envelope, or one Segment message with its {@code type}), keyed by user id. Records go through
 * {@link IngestService} like REST requests: same validation, same durable deduplication by messageId (a redelivered
 * record is stored once), one transaction. A record is acknowledged (its offset may be committed) only after that
 * transaction committed and its invalid messages were written to the dead-letter topic. Anything else (the database
 * down) nacks the record and the channel stops (failure-strategy=fail): nothing is lost or dead-lettered by mistake,
 * and the next start resumes from the last committed offset.
 */
@ApplicationScoped
public class BehaviourEventsConsumer {

    public static final String CHANNEL = "behaviour-events";
    private static final Logger LOG = Logger.getLogger(BehaviourEventsConsumer.class);
    private static final ObjectMapper STRICT = Json.mapper().copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final IngestService ingest;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final int maxRecordBytes;

    BehaviourEventsConsumer(IngestService ingest, DeadLetters deadLetters, IngestMetrics metrics, UlmConfig config) {
        this.ingest = ingest;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxRecordBytes = config.ingest().maxRequestBytes();
    }

    /** Blocking and ordered (the default of {@code @Blocking}): a worker thread, one record after the other. */
    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        DeadLetters.Source source = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> new DeadLetters.Source(m.getTopic(), m.getPartition(), m.getOffset(), m.getKey() == null ? null : m.getKey().toString()))
                .orElse(new DeadLetters.Source(CHANNEL, -1, -1, null));
        try {
            handle(source, record.getPayload());
            return record.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "behaviour-events record %s-%d@%d not stored; the channel stops", source.topic(), source.partition(), source.offset());
            return record.nack(e);
        }
    }

    void handle(DeadLetters.Source source, byte[] value) {
        if (value == null || new String(value, StandardCharsets.UTF_8).isBlank()) {
            reject(source, value, "", "the record is empty", MessageError.Reason.MALFORMED_JSON);
            return;
        }
        if (value.length > maxRecordBytes) {
            reject(source, value, "", "the record is " + value.length + " bytes; the limit is " + maxRecordBytes,
                    MessageError.Reason.TOO_LARGE);
            return;
        }
        JsonNode root;
        try {
            root = STRICT.readTree(value);
        } catch (JsonProcessingException e) {
            reject(source, value, "", "the record is not valid JSON: " + e.getOriginalMessage(), MessageError.Reason.MALFORMED_JSON);
            return;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (root.isObject() && root.has("batch")) {
            batch(source, value, root);
        } else {
            IngestService.Outcome outcome = ingest.ingest(List.of(root), MessageParser.Envelope.NONE, null, Instant.now(), IngestService.Mode.LIVE);
            if (!outcome.errors().isEmpty()) {
                deadLetters.send(source, value, outcome.errors());
            }
        }
    }

    private void batch(DeadLetters.Source source, byte[] value, JsonNode root) {
        List<MessageError> envelopeErrors = EventContract.validate("segment/batch.schema.json", root).stream()
                .map(v -> new MessageError(null, v.pointer(), v.message())).toList();
        if (!envelopeErrors.isEmpty()) {
            // the envelope applies to every message: when it is wrong, none is stored (as in POST /v1/batch)
            metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.SCHEMA);
            deadLetters.send(source, value, envelopeErrors);
            return;
        }
        ObjectNode context = root.path("context").isObject() ? (ObjectNode) root.get("context") : null;
        MessageParser.Envelope envelope = new MessageParser.Envelope(context, root.get("sentAt"));
        List<JsonNode> messages = new ArrayList<>();
        root.get("batch").forEach(messages::add);
        IngestService.Outcome outcome = ingest.ingest(messages, envelope, "/batch", Instant.now(), IngestService.Mode.LIVE);
        // one dead letter per invalid message: its value is that message, its pointer names the field in the record
        Map<Integer, List<MessageError>> byMessage = new LinkedHashMap<>();
        outcome.errors().forEach(e -> byMessage.computeIfAbsent(e.index(), i -> new ArrayList<>()).add(e));
        byMessage.forEach((index, errors) -> deadLetters.send(source,
                index == null ? value : DeadLetters.bytes(messages.get(index)), errors));
    }

    private void reject(DeadLetters.Source source, byte[] value, String pointer, String detail, MessageError.Reason reason) {
        metrics.rejected(IngestService.Mode.LIVE, reason);
        deadLetters.send(source, value == null ? new byte[0] : value, List.of(new MessageError(null, pointer, detail, reason)));
    }
}
