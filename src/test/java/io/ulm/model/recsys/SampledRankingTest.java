package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampled protocol: candidates the user never touched, seeded; ranks with ties by index; HR and NDCG at K. */
class SampledRankingTest {

    @Test
    void negativesAreItemsTheUserNeverTouchedDrawnWithTheSeed() {
        InteractionMatrix m = Fixtures.twoGroups();
        int u1 = Fixtures.user(m, "u1");
        HeldOut held = new HeldOut(u1, Fixtures.item(m, "c"));
        Map<HeldOut, int[]> first = SampledRanking.negatives(List.of(held), m, 4, 9);
        int[] drawn = first.get(held);
        // u1 touched a, b, c: the 4 negatives are d, e, f, g in some order
        assertThat(Arrays.stream(drawn).sorted().toArray()).containsExactly(Fixtures.item(m, "d"), Fixtures.item(m, "e"),
                Fixtures.item(m, "f"), Fixtures.item(m, "g"));
        assertThat(SampledRanking.negatives(List.of(held), m, 4, 9).get(held)).containsExactly(drawn);
    }

    @Test
    void theRankCountsHigherScoresAndTiesWithALowerIndex() {
        double[] scores = {0.5, 0.9, 0.5, 0.1, 0.5};
        assertThat(SampledRanking.rank(i -> scores[i], 2, new int[]{0, 1, 3, 4})).isEqualTo(2);   // 1 scores higher, 0 ties lower
        assertThat(SampledRanking.rank(i -> scores[i], 0, new int[]{2, 3, 4})).isZero();
        assertThat(SampledRanking.ndcg(0, 10)).isEqualTo(1.0);
        assertThat(SampledRanking.ndcg(2, 10)).isEqualTo(0.5);
        assertThat(SampledRanking.ndcg(10, 10)).isZero();
    }

    @Test
    void popularityRanksAPopularHeldOutItemFirst() {
        InteractionMatrix m = Fixtures.twoGroups();
        int u7 = Fixtures.user(m, "u7");
        HeldOut held = new HeldOut(u7, Fixtures.item(m, "c"));   // c: 3 users; every negative has at most 3 and a higher index or fewer
        SampledRanking.Result r = SampledRanking.evaluate(Popularity.fit(m), SampledRanking.negatives(List.of(held), m, 3, 1), 1);
        assertThat(r.users()).isEqualTo(1);
        assertThat(r.hr()).isEqualTo(1.0);
        assertThat(r.ndcg()).isEqualTo(1.0);
    }
}
