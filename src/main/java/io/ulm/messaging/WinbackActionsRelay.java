package io.ulm.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the win-back outbox (written by {@code io.ulm.winback.WinbackSaga} with its state) to {@code winback-actions},
 * keyed by user id, value the action's JSON, header {@code action-id}. A poller, not an event processor: each tick claims
 * up to 100 unsent rows in id order ({@code FOR UPDATE SKIP LOCKED}: several nodes may poll), sends them, awaits the
 * broker's acks and marks them sent in the same transaction. A crash after the acks and before the commit sends those
 * rows again: at-least-once on the topic, with a stable {@code action-id} for consumers to deduplicate; every action
 * exists once in the outbox whatever the saga's processor redelivers. Without Kafka it does nothing and the rows stay
 * readable through {@code GET /v1/admin/winback/actions}.
 */
@ApplicationScoped
public class WinbackActionsRelay {

    public static final String CHANNEL = "winback-actions";

    private static final String CLAIM = """
            SELECT id, action_id, msg_key, payload::text FROM outbox WHERE sent_at IS NULL AND topic = ?
            ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED
            """;

    private final KafkaConfig config;
    private final DataSource dataSource;
    private final Instance<WinbackActionsChannel> channel;

    WinbackActionsRelay(KafkaConfig config, DataSource dataSource, Instance<WinbackActionsChannel> channel) {
        this.config = config;
        this.dataSource = dataSource;
        this.channel = channel;   // created on first send: the channel exists only when Kafka is on
    }

    @Scheduled(every = "${ulm.winback.relay-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "5s")
    void tick() {
        if (config.enabled()) {
            while (publishBatch() > 0) {
                // drain what is there now
            }
        }
    }

    /** Sends one batch and marks it sent; returns its size. */
    public int publishBatch() {
        return QuarkusTransaction.requiringNew().call(this::batch);
    }

    private int batch() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Long> ids = new ArrayList<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, CHANNEL);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        RecordHeaders headers = new RecordHeaders();
                        headers.add("action-id", rs.getString(2).getBytes(StandardCharsets.UTF_8));
                        Message<String> message = Message.of(rs.getString(4)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(rs.getString(3)).withHeaders(headers).build());
                        sends.add(channel.get().send(message));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = now() WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
            return ids.size();
        }
    }

    /** The emitter, in a bean of its own (see LifecycleEventsChannel). */
    @ApplicationScoped
    static class WinbackActionsChannel {

        private final MutinyEmitter<String> emitter;

        WinbackActionsChannel(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                              MutinyEmitter<String> emitter) {
            this.emitter = emitter;
        }

        CompletableFuture<Void> send(Message<String> message) {
            return emitter.sendMessage(message).subscribeAsCompletionStage();
        }
    }
}
