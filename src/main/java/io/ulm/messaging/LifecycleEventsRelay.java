package io.ulm.messaging;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.ulm.lifecycle.api.ChurnRiskRaised;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserErased;
import io.ulm.lifecycle.api.UserLeftSegment;
import io.ulm.platform.Json;
import io.ulm.platform.Relay;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes lifecycle facts to {@code lifecycle-events} as structured-mode CloudEvents (JSON), keyed by user id:
 * stage changes, segment entry and exit, churn risk raised, erasure. It is a {@link Relay} (its own processor, never part of
 * projection replays; handlers also carry {@code @DisallowReplay} in case its token is ever reset). Delivery is
 * at-least-once: the sends of a batch are awaited before the processor's token moves, and a failed batch is sent
 * again; the CloudEvents {@code id} is the Axon event id, stable across re-sends, for consumers to deduplicate.
 */
@ApplicationScoped
public class LifecycleEventsRelay implements Relay {

    public static final String CHANNEL = "lifecycle-events";
    public static final String STAGE_CHANGED = "io.ulm.lifecycle.stage-changed";
    public static final String SEGMENT_ENTERED = "io.ulm.segment.entered";
    public static final String SEGMENT_LEFT = "io.ulm.segment.left";
    public static final String CHURN_RISK_RAISED = "io.ulm.churn.risk-raised";
    /** Downstream systems holding copies of her data erase them too (docs/privacy.md). */
    public static final String USER_ERASED = "io.ulm.privacy.user-erased";
    private static final String PENDING = LifecycleEventsRelay.class.getName() + ".pending";

    private final LifecycleEventsChannel channel;
    private final KafkaConfig config;

    LifecycleEventsRelay(LifecycleEventsChannel channel, KafkaConfig config) {
        this.channel = channel;
        this.config = config;
    }

    @Override
    public String name() {
        return "kafka-lifecycle-events";
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @EventHandler
    @DisallowReplay
    void on(StageChanged event, EventMessage<?> message) {
        publish(message, STAGE_CHANGED, event.userId(), event.at());
    }

    @EventHandler
    @DisallowReplay
    void on(UserEnteredSegment event, EventMessage<?> message) {
        publish(message, SEGMENT_ENTERED, event.userId(), event.at());
    }

    @EventHandler
    @DisallowReplay
    void on(UserLeftSegment event, EventMessage<?> message) {
        publish(message, SEGMENT_LEFT, event.userId(), event.at());
    }

    @EventHandler
    @DisallowReplay
    void on(ChurnRiskRaised event, EventMessage<?> message) {
        publish(message, CHURN_RISK_RAISED, event.userId(), event.at());
    }

    @EventHandler
    @DisallowReplay
    void on(UserErased event, EventMessage<?> message) {
        publish(message, USER_ERASED, event.userId(), event.erasedAt());
    }

    /** Sends now (in log order) and awaits the broker's acks when the batch commits, before the token moves. */
    private void publish(EventMessage<?> event, String type, String userId, Instant at) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = Json.mapper().convertValue(event.getPayload(), Map.class);
        OutgoingCloudEventMetadata<JsonObject> cloudEvent = OutgoingCloudEventMetadata.<JsonObject>builder()
                .withId(event.getIdentifier())
                .withType(type)
                .withSource(URI.create(config.source()))
                .withSubject(userId)
                .withTimestamp((at == null ? event.getTimestamp() : at).atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .build();
        Message<JsonObject> message = Message.of(new JsonObject(data))
                .addMetadata(cloudEvent)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(userId).build());
        pending().add(channel.send(message));
    }

    private List<CompletableFuture<Void>> pending() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            // a send that fails or times out fails the batch: it is retried from the last token (at-least-once)
            uow.onPrepareCommit(u -> CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join());
            return sends;
        });
    }
}
