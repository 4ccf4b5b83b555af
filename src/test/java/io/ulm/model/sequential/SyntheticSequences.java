package io.ulm.model.sequential;

import io.ulm.model.recsys.Interaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Users walking through a catalogue in order: each next item is usually one of the next three after the previous
 * one (a sequential pattern no co-occurrence model can see from the set of items alone), sometimes a random one.
 */
final class SyntheticSequences {

    private SyntheticSequences() {
    }

    static List<Interaction> walks(int users, int items, int length, long seed) {
        Random random = new Random(seed);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        List<Interaction> events = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Set<Integer> seen = new HashSet<>();
            int item = random.nextInt(items);
            for (int step = 0; step < length; step++) {
                int next = random.nextInt(10) < 8 ? (item + 1 + random.nextInt(3)) % items : random.nextInt(items);
                while (seen.contains(next)) {
                    next = (next + 1) % items;
                }
                seen.add(next);
                item = next;
                events.add(new Interaction(String.format("u%04d", u), String.format("i%04d", item), t0.plusSeconds(step * 60L), 1));
            }
        }
        return events;
    }
}
