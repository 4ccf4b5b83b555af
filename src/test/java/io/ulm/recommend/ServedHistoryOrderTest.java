package io.ulm.recommend;

import io.ulm.model.recsys.Interaction;
import io.ulm.model.sequential.Sequences;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The served history must be in the order the sequential model was trained on, baskets included. */
class ServedHistoryOrderTest {

    private static final Instant T0 = Instant.parse("2011-11-01T10:00:00Z");

    @Test
    void itemsOfOneBasketAreServedInTheOrderTheSequencesWereTrainedOn() {
        String[][] baskets = {{"22752", "21730", "85123A", "71053"}, {"84406B", "84029G", "84029E"}, {"22633", "22632", "21754", "21755", "21777"}};
        List<Interaction> log = new ArrayList<>();
        List<String> items = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int b = 0; b < baskets.length; b++) {
            for (String item : baskets[b]) {
                log.add(new Interaction("u", item, T0.plusSeconds(3600L * b), 1));
                items.add(item);
                times.add(T0.plusSeconds(3600L * b));
            }
        }
        Sequences trained = Sequences.of(log);
        List<String> expected = Arrays.stream(trained.of(0)).mapToObj(i -> trained.items().id(i)).toList();

        List<String> served = UserContext.inEventOrder("u", items.toArray(String[]::new), times.toArray(Instant[]::new));

        assertThat(served).isEqualTo(expected);
        assertThat(served.subList(0, 4)).as("the first basket comes first").containsExactlyInAnyOrder(baskets[0]);
        assertThat(served).as("not the id order inside a basket").isNotEqualTo(
                Arrays.stream(baskets).flatMap(b -> Arrays.stream(b).sorted()).toList());
    }
}
