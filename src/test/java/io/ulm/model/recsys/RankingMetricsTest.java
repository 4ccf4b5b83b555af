package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankingMetricsTest {

    private static final double EPS = 1e-12;
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    private static final double LOG2_4 = 2;

    @Test
    void oneHeldOutItemAtRankThree() {
        List<Integer> ranked = List.of(7, 8, 9, 10);
        Set<Integer> relevant = Set.of(9);

        assertThat(RankingMetrics.hitRate(ranked, relevant, 3)).isEqualTo(1);
        assertThat(RankingMetrics.hitRate(ranked, relevant, 2)).isZero();
        assertThat(RankingMetrics.recall(ranked, relevant, 3)).isEqualTo(1);
        // DCG = 1/log2(3+1) = 1/2; ideal DCG = 1/log2(2) = 1
        assertThat(RankingMetrics.ndcg(ranked, relevant, 3)).isCloseTo(1 / LOG2_4, within(EPS));
        // AP = precision@3 / min(1, 3) = 1/3 (the reciprocal rank for one item)
        assertThat(RankingMetrics.averagePrecision(ranked, relevant, 3)).isCloseTo(1.0 / 3, within(EPS));
    }

    @Test
    void twoHeldOutItemsAtRanksOneAndThree() {
        List<Integer> ranked = List.of(1, 2, 3, 4);
        Set<Integer> relevant = Set.of(1, 3, 99);

        assertThat(RankingMetrics.recall(ranked, relevant, 4)).isCloseTo(2.0 / 3, within(EPS));
        // DCG = 1 + 1/2; ideal (3 relevant, k=4) = 1 + 1/log2(3) + 1/2
        assertThat(RankingMetrics.ndcg(ranked, relevant, 4)).isCloseTo(1.5 / (1.5 + 1 / LOG2_3), within(EPS));
        // AP = (1/1 + 2/3) / min(3, 4)
        assertThat(RankingMetrics.averagePrecision(ranked, relevant, 4)).isCloseTo((1 + 2.0 / 3) / 3, within(EPS));
        // at k = 2 only the first hit counts, over min(3, 2) possible
        assertThat(RankingMetrics.averagePrecision(ranked, relevant, 2)).isCloseTo(1.0 / 2, within(EPS));
    }

    @Test
    void missesScoreZero() {
        assertThat(RankingMetrics.ndcg(List.of(1, 2), Set.of(5), 2)).isZero();
        assertThat(RankingMetrics.averagePrecision(List.of(1, 2), Set.of(5), 2)).isZero();
        assertThat(RankingMetrics.recall(List.of(), Set.of(5), 2)).isZero();
    }

    @Test
    void coverageCountsDistinctItemsWithinTheCutOff() {
        var lists = List.of(List.of(0, 1, 5), List.of(1, 2, 6));

        assertThat(RankingMetrics.coverage(lists, 2, 10)).isCloseTo(3.0 / 10, within(EPS));
    }

    @Test
    void noveltyIsTheMeanSelfInformationOfSmoothedPopularity() {
        InteractionMatrix training = Fixtures.twoGroups(); // 7 users; a seen by 4, g by 1
        int a = Fixtures.item(training, "a");
        int g = Fixtures.item(training, "g");
        double expected = (-log2(5.0 / 8) - log2(2.0 / 8)) / 2;

        assertThat(RankingMetrics.novelty(List.of(List.of(a, g)), 2, training)).isCloseTo(expected, within(EPS));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
