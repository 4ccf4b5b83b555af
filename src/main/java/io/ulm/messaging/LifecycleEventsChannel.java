package io.ulm.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.context.ThreadContext;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.concurrent.CompletableFuture;

/**
 * The lifecycle-events emitter, in a bean of its own so that it is created on first send, not with the relay:
 * Axon builds its processors (and so the relay) at startup before SmallRye has wired the channels, and an emitter
 * injected then cannot connect. A send before the wiring fails the relay's batch, which is retried.
 */
@ApplicationScoped
class LifecycleEventsChannel {

    private final MutinyEmitter<JsonObject> emitter;

    LifecycleEventsChannel(@Channel(LifecycleEventsRelay.CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                           MutinyEmitter<JsonObject> emitter) {
        this.emitter = emitter;
    }

    /**
     * Without the caller's transaction: context propagation (smallrye-context-propagation-jta) would otherwise carry the
     * relay's JTA transaction into the Kafka completion callbacks on other threads, and Narayana then refuses the commit
     * ("commit invoked while multiple threads active"), which fails and re-sends the batch.
     */
    private static final ThreadContext WITHOUT_TRANSACTION = ThreadContext.builder().propagated()
            .cleared(ThreadContext.TRANSACTION).unchanged(ThreadContext.ALL_REMAINING).build();

    /** Sends now; completes when the broker acknowledged the record. */
    CompletableFuture<Void> send(Message<JsonObject> message) {
        return WITHOUT_TRANSACTION.contextualSupplier(() -> emitter.sendMessage(message).subscribeAsCompletionStage()).get();
    }
}
