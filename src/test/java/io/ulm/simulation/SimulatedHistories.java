package io.ulm.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ulm.model.churn.Activity;
import io.ulm.model.churn.UserHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads simulated messages back as the churn code's {@link UserHistory}, from the JSON only (as ULM would see them):
 * identify = acquisition, track/page = activities, "Order Completed" = a purchase with its revenue.
 */
final class SimulatedHistories {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Instant> acquired = new LinkedHashMap<>();
    private final Map<String, List<Activity>> activities = new LinkedHashMap<>();

    /** Keeps every activity; with {@code purchasesOnly} it skips parsing everything but orders (faster). */
    static SimulatedHistories of(Simulator simulator, boolean purchasesOnly) {
        SimulatedHistories h = new SimulatedHistories();
        simulator.run(m -> h.accept(m, purchasesOnly));
        return h;
    }

    private void accept(SimulatedMessage m, boolean purchasesOnly) {
        boolean order = m.json().contains("\"event\":\"" + Messages.ORDER_COMPLETED + "\"");
        if (m.json().startsWith("{\"type\":\"identify\"")) {
            acquired.putIfAbsent(m.userId(), m.at());
            return;
        }
        if (purchasesOnly && !order) {
            return;
        }
        JsonNode node = read(m.json());
        Instant at = Instant.parse(node.path("timestamp").asText());
        Activity activity = order ? Activity.purchase(at, node.path("properties").path("revenue").decimalValue())
                : Activity.view(at);
        activities.computeIfAbsent(m.userId(), u -> new ArrayList<>()).add(activity);
    }

    List<UserHistory> histories() {
        List<UserHistory> all = new ArrayList<>();
        acquired.forEach((user, at) -> all.add(new UserHistory(user, at, activities.getOrDefault(user, List.of()))));
        return all;
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
