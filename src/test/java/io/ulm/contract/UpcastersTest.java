package io.ulm.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.ingest.EventContract;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.platform.Json;
import io.ulm.platform.upcasting.JsonPayloadUpcaster;
import io.ulm.platform.upcasting.Upcasters;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every upcaster against the event contract, without Axon or a database: each example of the revision it reads
 * (its schema is kept in events/domain/) becomes a valid event of the revision it writes, and the chain ends at each
 * record's current {@code @Revision}.
 */
class UpcastersTest {

    @Test
    void everyExampleOfAnOldRevisionUpcastsToAValidEventOfTheNext() throws Exception {
        List<JsonPayloadUpcaster> upcasters = Upcasters.all();
        assertThat(upcasters).isNotEmpty();
        for (JsonPayloadUpcaster upcaster : upcasters) {
            String name = upcaster.payloadType().substring(upcaster.payloadType().lastIndexOf('.') + 1);
            String from = schema(name, upcaster.from());
            String to = schema(name, upcaster.to());
            JsonNode examples = Json.mapper().readTree(Files.readString(Path.of("events", from))).path("examples");
            assertThat(examples.size()).as(from + " examples").isPositive();
            for (JsonNode example : examples) {
                assertThat(EventContract.validate(from, example)).as(from + " example").isEmpty();
                ObjectNode upcast = upcaster.upcast(((ObjectNode) example).deepCopy());
                assertThat(EventContract.validate(to, upcast)).as(example + " upcast to " + to).isEmpty();
            }
        }
    }

    @Test
    void theChainEndsAtEachRecordsCurrentRevision() throws Exception {
        for (JsonPayloadUpcaster upcaster : Upcasters.all()) {
            Class<?> type = Class.forName(upcaster.payloadType());
            String current = type.getAnnotation(Revision.class).value();
            boolean continued = Upcasters.all().stream().anyMatch(u -> u.payloadType().equals(upcaster.payloadType()) && u.from().equals(upcaster.to()));
            assertThat(continued || upcaster.to().equals(current)).as(upcaster.getClass().getSimpleName() + " ends at " + current).isTrue();
        }
    }

    @Test
    void theFamilyComesFromTheSegmentIdAndIsWrittenBesideIt() {
        ObjectNode v1 = Json.mapper().createObjectNode().put("userId", "u").put("segmentId", "cluster:kmeans:2").put("at", "2024-03-01T00:00:00Z")
                .put("evaluation", 3).put("reason", "nearest centroid");
        v1.putObject("evidence");
        ObjectNode v2 = Upcasters.all().get(0).upcast(v1);
        assertThat(v2.path("family").asText()).isEqualTo("cluster");
        assertThat(List.of(v2.fieldNames().next(), names(v2).get(2))).containsExactly("userId", "family");
        assertThat(Json.mapper().convertValue(v2, UserEnteredSegment.class).family()).isEqualTo("cluster");
        assertThatThrownBy(() -> UserEnteredSegment.familyOf("tier:gold")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> names(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Revision 1 is X.schema.json, N > 1 X.vN.schema.json (events/README.md). */
    private static String schema(String name, String revision) {
        return "domain/" + name + ("1".equals(revision) ? "" : ".v" + revision) + ".schema.json";
    }
}
