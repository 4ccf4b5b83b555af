package io.ulm.platform;

import jakarta.transaction.TransactionSynchronizationRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store, waking its event producer only once the events are visible in PostgreSQL.
 *
 * <p>Why: Axon wakes the producer (the one thread that reads new events for every processor) when its unit of work
 * commits. Ingestion runs its commands inside a JTA transaction of its own (dedup rows, identity links and events
 * commit together), which Axon joins: Axon's commit is then a no-op and the real commit comes later. Woken too early,
 * the producer found nothing and slept its full fetch delay (1 s), so every live request reached the read models about
 * a second late. Here the wake-up is deferred to the JTA transaction's completion when one is still running.
 */
final class JtaEmbeddedEventStore extends EmbeddedEventStore {

    private final TransactionSynchronizationRegistry transactions;

    JtaEmbeddedEventStore(Builder builder, TransactionSynchronizationRegistry transactions) {
        super(builder);
        this.transactions = transactions;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        try {
            if (Completion.afterCompletion(transactions, committed -> {
                if (committed) {
                    wakeProducer(events);
                }
            })) {
                return;
            }
        } catch (IllegalStateException completing) {
            // the transaction is already completing: waking now is the best there is (the fetch delay covers a miss)
        }
        super.afterCommit(events);
    }

    private void wakeProducer(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
    }
}
