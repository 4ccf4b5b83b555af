package io.ulm.simulation;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Same settings ⇒ byte-identical messages and truth; another seed ⇒ other bytes; order and ids are sound. */
class DeterminismTest {

    static final SimulationSettings SMALL = SimulationSettings.defaults().withScale(2_000, 60, 45);

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        String first = digest(SMALL);
        assertThat(digest(SMALL)).isEqualTo(first);
        assertThat(digest(SMALL.withSeed(43))).isNotEqualTo(first);
    }

    @Test
    void batchStreamAndIncrementalRunsGiveTheSameMessages() {
        List<String> batch = new ArrayList<>();
        new Simulator(SMALL).run(m -> batch.add(m.json()));
        List<String> streamed = new Simulator(SMALL).stream().map(SimulatedMessage::json).toList();
        List<String> stepped = new ArrayList<>();
        Simulator incremental = new Simulator(SMALL);
        for (Instant t = SMALL.start(); !incremental.finished(); t = t.plus(Duration.ofHours(7))) {
            incremental.advanceTo(t, m -> stepped.add(m.json()));
        }
        assertThat(streamed).isEqualTo(batch);
        assertThat(stepped).isEqualTo(batch);
    }

    @Test
    void messagesAreInTimeOrderWithUniqueIds() {
        List<SimulatedMessage> all = new Simulator(SMALL).stream().toList();
        assertThat(all).isNotEmpty();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).at()).isAfterOrEqualTo(all.get(i - 1).at());
        }
        assertThat(all.stream().map(SimulatedMessage::messageId).distinct().count()).isEqualTo(all.size());
        assertThat(all.get(all.size() - 1).at()).isBefore(SMALL.end());
    }

    private static String digest(SimulationSettings settings) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Simulator simulator = new Simulator(settings);
        simulator.run(m -> sha.update((m.json() + "\n").getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream truth = new ByteArrayOutputStream();
        simulator.truth().forEach(t -> truth.writeBytes((t.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
        sha.update(truth.toByteArray());
        return HexFormat.of().formatHex(sha.digest());
    }
}
