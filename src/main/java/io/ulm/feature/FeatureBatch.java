package io.ulm.feature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one processor batch, kept per user in log order. The fold runs when the batch commits, on
 * top of the stored state: sessions and decayed sums depend on order, so they are folded event by event,
 * never merged as pre-aggregated deltas (whose floating-point result would depend on batch boundaries).
 */
final class FeatureBatch {

    private final Map<String, List<Object>> users = new LinkedHashMap<>();

    void add(String userId, Object event) {
        users.computeIfAbsent(userId, k -> new ArrayList<>()).add(event);
    }

    Map<String, List<Object>> users() {
        return users;
    }
}
