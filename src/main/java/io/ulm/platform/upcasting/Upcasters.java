package io.ulm.platform.upcasting;

import java.util.List;

/**
 * Every upcaster of ULM's domain events, in the order they run (older steps first: revision 1 → 2 before 2 → 3).
 * AxonRuntime puts them into the event store's upcaster chain; docs/schema-evolution.md says how to add one.
 */
public final class Upcasters {

    private Upcasters() {
    }

    public static List<JsonPayloadUpcaster> all() {
        return List.of(new UserEnteredSegmentFamily());
    }
}
