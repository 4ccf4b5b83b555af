package io.ulm.model.sequential;

import io.ulm.model.recsys.HeldOut;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.InteractionMatrix;
import io.ulm.model.recsys.LeaveLastOut;
import io.ulm.model.recsys.TieBreak;
import io.ulm.model.recsys.Popularity;
import io.ulm.model.recsys.SampledRanking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sequences, training windows, determinism, and that SASRec learns an order popularity cannot see. */
class SasRecTrainingTest {

    static final SasRecSettings SMALL = new SasRecSettings(1, 1, 16, 20, 0.1, 1, 8, 0.01, 64, 2, 4, 7);

    private static List<Interaction> walks;
    private static Sequences data;
    private static SasRecTraining.Result trained;
    private static final List<double[]> checks = new ArrayList<>();

    @BeforeAll
    static void train() {
        walks = SyntheticSequences.walks(300, 400, 30, 3);
        data = Sequences.of(walks);
        trained = SasRecTraining.train(data, SMALL, (epoch, max, loss, ndcg) -> checks.add(new double[]{epoch, loss, ndcg}));
    }

    @Test
    void sequencesAreDistinctItemsByLastInteractionAndAgreeWithTheLeaveLastOutSplit() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<Interaction> events = List.of(new Interaction("u", "b", t, 1), new Interaction("u", "a", t.plusSeconds(1), 1),
                new Interaction("u", "c", t.plusSeconds(2), 1), new Interaction("u", "b", t.plusSeconds(3), 1),
                new Interaction("u", "e", t.plusSeconds(4), 1), new Interaction("u", "d", t.plusSeconds(4), 1));
        Sequences s = Sequences.of(events);
        // a, c, b (repeated: its latest), then d and e at the same instant: in the seeded-hash order, not by id
        int earlier = TieBreak.itemsOf("u").compare("d", "e") < 0 ? 3 : 4;
        int later = 7 - earlier;
        assertThat(s.of(0)).containsExactly(0, 2, 1, earlier, later);
        assertThat(s.training(0)).containsExactly(0, 2, 1);
        assertThat(s.validationItem(0)).isEqualTo(earlier);
        assertThat(s.testItem(0)).isEqualTo(later);
        assertThat(s.testInput(0)).containsExactly(0, 2, 1, earlier);
        LeaveLastOut.Split tied = LeaveLastOut.split(events);
        assertThat(tied.test()).extracting(HeldOut::item).containsExactly(later);
        assertThat(tied.validation()).extracting(HeldOut::item).containsExactly(earlier);

        LeaveLastOut.Split split = LeaveLastOut.split(walks);
        for (HeldOut h : split.test()) {
            assertThat(data.testItem(h.user())).isEqualTo(h.item());
        }
        for (HeldOut h : split.validation()) {
            assertThat(data.validationItem(h.user())).isEqualTo(h.item());
        }
        assertThat(data.evaluatedUsers()).hasSize(split.test().size());
    }

    @Test
    void windowsCoverEveryTrainingTargetOnceLatestFirstLeftPadded() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<Interaction> events = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            events.add(new Interaction("u", String.format("i%02d", i), t.plusSeconds(i), 1));
        }
        List<long[][]> windows = SasRecTraining.windows(Sequences.of(events), 10);
        // 25 training items (the last two are held out): 24 targets in windows of 10, latest first
        assertThat(windows).hasSize(3);
        assertThat(windows.get(0)[1]).containsExactly(16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
        assertThat(windows.get(0)[0]).containsExactly(15, 16, 17, 18, 19, 20, 21, 22, 23, 24);
        assertThat(windows.get(2)[1]).containsExactly(0, 0, 0, 0, 0, 0, 2, 3, 4, 5);
        assertThat(windows.get(2)[0]).containsExactly(0, 0, 0, 0, 0, 0, 1, 2, 3, 4);
        long targets = windows.stream().flatMapToLong(w -> Arrays.stream(w[1])).filter(x -> x != 0).count();
        assertThat(targets).isEqualTo(24);
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        SasRecSettings twoEpochs = SMALL.withEpochs(2);
        SasRecTraining.Result once = SasRecTraining.train(data, twoEpochs, (e, m, l, n) -> { });
        SasRecTraining.Result again = SasRecTraining.train(data, twoEpochs, (e, m, l, n) -> { });
        for (String name : once.weights().tensors().keySet()) {
            float[] first = once.weights().get(name).values();
            float[] second = again.weights().get(name).values();
            assertThat(second).as("%s: %s", name, difference(first, second)).isEqualTo(first);
        }
        SasRecTraining.Result other = SasRecTraining.train(data, twoEpochs.withSeed(8), (e, m, l, n) -> { });
        assertThat(other.weights().get("item_embedding").values()).isNotEqualTo(once.weights().get("item_embedding").values());
    }

    @Test
    void aListenerCanStopTrainingAfterAnyEpoch() {
        // how a cancelled training run stops between validation checks (ModelTraining's checkpoint throws)
        List<Integer> epochs = new ArrayList<>();
        class Stop extends RuntimeException {
        }
        SasRecTraining.Listener stopAfterThree = new SasRecTraining.Listener() {
            @Override
            public void validated(int epoch, int maxEpochs, double loss, double validationNdcg) {
            }

            @Override
            public void epochDone(int epoch) {
                epochs.add(epoch);
                if (epoch == 3) {
                    throw new Stop();
                }
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SasRecTraining.train(data, SMALL, stopAfterThree)).isInstanceOf(Stop.class);
        assertThat(epochs).containsExactly(1, 2, 3);
    }

    /** How two weight tensors differ, for a failure message that tells last bits from a different run. */
    private static String difference(float[] a, float[] b) {
        int differing = 0;
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.compare(a[i], b[i]) != 0) {
                differing++;
                largest = Math.max(largest, Math.abs((double) a[i] - b[i]));
            }
        }
        return differing + " of " + a.length + " values differ, by at most " + largest;
    }

    @Test
    void learnsTheOrderPopularityCannotSeeAndReportsProgress() {
        assertThat(checks).isNotEmpty();
        assertThat(checks.get(checks.size() - 1)[1]).isLessThan(checks.get(0)[1]);   // the loss went down
        LeaveLastOut.Split split = LeaveLastOut.split(walks);
        Map<HeldOut, int[]> candidates = SampledRanking.negatives(split.test(), InteractionMatrix.of(walks), SampledRanking.NEGATIVES, 1);
        SampledRanking.Result popularity = SampledRanking.evaluate(Popularity.fit(split.trainAndValidation()), candidates, 10);
        SampledRanking.Result sasrec = SampledRanking.evaluate(
                SequenceScores.of("SASRec", trained.weights(), data, data::testInput, data.evaluatedUsers()), candidates, 10);
        System.out.printf("synthetic walks: SASRec %s, popularity %s, best epoch %d, %.1f s%n", sasrec, popularity, trained.bestEpoch(), trained.seconds());
        assertThat(sasrec.ndcg()).isGreaterThan(popularity.ndcg() + 0.3);
    }
}
