package io.ulm.model.recsys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Tiny hand-made interaction data for the unit tests. */
final class Fixtures {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private Fixtures() {
    }

    static Interaction at(String user, String item, long second) {
        return new Interaction(user, item, T0.plusSeconds(second), 1);
    }

    /**
     * Two taste groups: users u1..u3 like items a, b, c (a "sci-fi" cluster), users u4..u6 like d, e, f ("drama");
     * u7 has seen a and b only. Item g is seen by one drama user, so it is the least popular.
     */
    static InteractionMatrix twoGroups() {
        List<Interaction> events = new ArrayList<>();
        for (String user : List.of("u1", "u2", "u3")) {
            events.addAll(List.of(at(user, "a", 1), at(user, "b", 2), at(user, "c", 3)));
        }
        for (String user : List.of("u4", "u5", "u6")) {
            events.addAll(List.of(at(user, "d", 1), at(user, "e", 2), at(user, "f", 3)));
        }
        events.add(at("u6", "g", 4));
        events.addAll(List.of(at("u7", "a", 1), at("u7", "b", 2)));
        return InteractionMatrix.of(events);
    }

    static int item(InteractionMatrix matrix, String id) {
        return matrix.items().index(id);
    }

    static int user(InteractionMatrix matrix, String id) {
        return matrix.users().index(id);
    }
}
