package io.ulm.catalogue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.catalogue.api.DefineItem;
import io.ulm.platform.Retry;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * The write side of the catalogue: sends {@link DefineItem} commands to the item aggregates, a chunk of
 * items per transaction (a lost race between two writers of the same item retries the chunk). Blocking:
 * call it on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class Catalogue {

    /** Items per transaction: large imports commit as they go; a re-run converges (unchanged items record nothing). */
    static final int CHUNK = 500;

    /** What a bulk definition did: items received, changed (an event recorded), unchanged, and the rejected ones. */
    public record Outcome(int received, int defined, int unchanged, int rejected, List<ItemError> errors) {
    }

    private final CommandGateway gateway;
    private final int attempts;
    private final Supplier<Instant> clock;

    Catalogue(CommandGateway gateway, UlmConfig config) {
        this.gateway = gateway;
        this.attempts = config.ingest().maxAttempts();
        // the definition time is a fact of the command, stored in the event: replays never read the clock
        this.clock = () -> Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Defines one item; true when it changed. */
    public boolean define(ItemDefinition item) {
        return Retry.times(attempts, () -> QuarkusTransaction.requiringNew().call(() -> send(item, clock.get())));
    }

    /** Defines valid items in chunks; {@code errors} are the invalid ones, reported back with the counts. */
    public Outcome define(List<ItemDefinition> items, List<ItemError> errors) {
        int defined = 0;
        Instant at = clock.get();
        for (int from = 0; from < items.size(); from += CHUNK) {
            List<ItemDefinition> chunk = items.subList(from, Math.min(items.size(), from + CHUNK));
            defined += Retry.times(attempts, () -> QuarkusTransaction.requiringNew().call(() -> {
                int changed = 0;
                for (ItemDefinition item : chunk) {
                    changed += send(item, at) ? 1 : 0;
                }
                return changed;
            }));
        }
        int rejectedItems = (int) errors.stream().map(ItemError::index).distinct().count();
        return new Outcome(items.size() + rejectedItems, defined, items.size() - defined, rejectedItems, List.copyOf(errors));
    }

    private boolean send(ItemDefinition item, Instant at) {
        Boolean changed = gateway.sendAndWait(new DefineItem(item.itemId(), item.title(), item.description(), item.categories(),
                item.properties(), at));
        return Boolean.TRUE.equals(changed);
    }
}
