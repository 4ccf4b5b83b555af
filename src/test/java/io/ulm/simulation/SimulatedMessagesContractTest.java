package io.ulm.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ulm.ingest.EventContract;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Every generated message validates against events/segment/&lt;type&gt;.schema.json, as ingestion checks it. */
class SimulatedMessagesContractTest {

    @Test
    void everyMessageIsAValidSegmentMessage() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> kinds = new TreeMap<>();
        for (SimulatedMessage m : new Simulator(SimulationSettings.defaults().withScale(500, 30, 30)).stream().toList()) {
            JsonNode node = mapper.readTree(m.json());
            String type = node.path("type").asText();
            assertThat(EventContract.validate("segment/" + type + ".schema.json", node)).as(m.json()).isEmpty();
            assertThat(node.path("messageId").asText()).isEqualTo(m.messageId());
            kinds.merge(type + " " + node.path("event").asText(""), 1, Integer::sum);
        }
        System.out.println("validated messages by kind: " + kinds);
        assertThat(kinds).containsKeys("identify ", "page ", "track Product Viewed", "track Order Completed");
    }
}
