package io.ulm.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Treatments added by hand (tests, scripted demos), handed out once each when due, in (time, user) order. */
public final class InMemoryTreatments implements TreatmentSource {

    private final List<Treatment> pending = new ArrayList<>();

    public synchronized InMemoryTreatments add(Treatment treatment) {
        pending.add(treatment);
        return this;
    }

    @Override
    public synchronized List<Treatment> poll(Instant now) {
        List<Treatment> due = pending.stream().filter(t -> !t.at().isAfter(now))
                .sorted(Comparator.comparing(Treatment::at).thenComparing(Treatment::userId)).toList();
        pending.removeAll(due);
        return due;
    }
}
