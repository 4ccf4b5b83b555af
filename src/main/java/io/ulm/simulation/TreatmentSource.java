package io.ulm.simulation;

import java.time.Instant;
import java.util.List;

/**
 * Where the simulator learns about win-back actions while it generates: ULM's outbox or {@code winback-actions} in a
 * live loop, {@link InMemoryTreatments} in tests. The simulator calls {@link #poll} whenever it has emitted every
 * message before {@code now}; a treatment dated before {@code now} takes effect at {@code now} (event time cannot go
 * back), one dated after {@code now} should be kept by the source until it is due.
 */
public interface TreatmentSource {

    /** Treatments that became due since the last call, at event time {@code now}. */
    List<Treatment> poll(Instant now);

    static TreatmentSource none() {
        return now -> List.of();
    }
}
