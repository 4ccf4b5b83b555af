package io.ulm.interest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.ActivityKind;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.platform.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection's fold of one batch: what counts as engagement, which text is read, where it is attributed. */
class InterestBatchTest {

    private static final ActivityKind ACTIVITY = new ActivityKind(true, true, false, false);
    private static final ActivityKind PURCHASE = new ActivityKind(true, true, true, false);
    private static final ActivityKind REFUND = new ActivityKind(true, true, false, true);
    private static final List<String> TEXT = List.of("tag", "tags", "review", "comment");

    private final TextAnalyzer analyzer = TextAnalyzer.standard();

    private static ActivityRecorded event(String user, ActivityKind kind, List<String> items, String properties) throws Exception {
        JsonNode props = Json.mapper().readTree(properties);
        return new ActivityRecorded(user, "m-" + System.nanoTime(), "track", "Movie Tagged", Instant.parse("2024-03-01T12:00:00Z"),
                Instant.parse("2024-03-01T12:00:01Z"), kind, props, null, null, null, items, false);
    }

    @Test
    void countsEngagementsAndAttributesTextAboutOneItemToIt() throws Exception {
        InterestBatch batch = new InterestBatch();
        batch.on(event("ada", ACTIVITY, List.of("1"), "{\"product_id\":\"1\",\"tag\":\"Pixar\"}"), analyzer, TEXT);
        batch.on(event("ada", ACTIVITY, List.of("1"), "{\"product_id\":\"1\",\"tags\":[\"pixar\",\"toys\"],\"rating\":5}"), analyzer, TEXT);
        batch.on(event("ada", PURCHASE, List.of("2", "3"), "{\"comment\":\"gift for Christmas\"}"), analyzer, TEXT);
        assertThat(batch.engagements()).containsExactly(
                Map.entry(new InterestBatch.UserItem("ada", "1"), 2L),
                Map.entry(new InterestBatch.UserItem("ada", "2"), 1L),
                Map.entry(new InterestBatch.UserItem("ada", "3"), 1L));
        assertThat(batch.text()).containsExactly(
                Map.entry(new InterestBatch.UserText("ada", "", "christmas"), 1L),   // two items: the user's only
                Map.entry(new InterestBatch.UserText("ada", "", "gift"), 1L),
                Map.entry(new InterestBatch.UserText("ada", "1", "pixar"), 2L),
                Map.entry(new InterestBatch.UserText("ada", "1", "toy"), 1L));
    }

    @Test
    void skipsEncryptedTextNonTextValuesAndUnlistedProperties() throws Exception {
        InterestBatch batch = new InterestBatch();
        batch.on(event("bob", ACTIVITY, List.of(), "{\"review\":{\"$encrypted\":\"v1.k1.AAAA\"},\"tag\":42,"
                + "\"title\":\"not a text property\",\"comment\":\"Great SHOES\"}"), analyzer, TEXT);
        assertThat(batch.engagements()).isEmpty();
        assertThat(batch.text()).containsOnlyKeys(new InterestBatch.UserText("bob", "", "great"), new InterestBatch.UserText("bob", "", "shoe"));
    }

    @Test
    void refundsAndNonActivityAreNoInterest() throws Exception {
        InterestBatch batch = new InterestBatch();
        batch.on(event("cy", REFUND, List.of("9"), "{\"comment\":\"broken\"}"), analyzer, TEXT);
        batch.on(event("cy", ActivityKind.NONE, List.of("9"), "{\"comment\":\"broken\"}"), analyzer, TEXT);
        batch.on(event("cy", null, List.of("9"), "{}"), analyzer, TEXT);
        assertThat(batch.isEmpty()).isTrue();
    }
}
