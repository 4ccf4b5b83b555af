package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HybridTest {

    /** A fixed-score model, to make the blend's arithmetic visible. */
    private record Fixed(String name, double[] values) implements Recommender {
        @Override
        public double[] scores(int user) {
            return values.clone();
        }
    }

    private static final Recommender FIRST = new Fixed("first", new double[]{0, 10, 5, 0});
    private static final Recommender SECOND = new Fixed("second", new double[]{1, 0, 0, 0.5});

    @Test
    void blendsMinMaxNormalisedScores() {
        Hybrid hybrid = Hybrid.of(List.of(FIRST, SECOND), new double[]{0.5, 0.5});

        assertThat(hybrid.scores(0)).containsExactly(new double[]{0.5, 0.5, 0.25, 0.25}, within(1e-12));
    }

    @Test
    void addingNormalisedSharesOnAnIndexIsBlendOfMinMaxBitForBit() {
        java.util.Random random = new java.util.Random(11);
        float[] first = new float[1_000];
        float[] second = new float[1_000];
        for (int i = 0; i < first.length; i++) {
            first[i] = (float) random.nextGaussian() * 3;
            second[i] = random.nextFloat() * 40 - 7;
        }
        int[] identity = java.util.stream.IntStream.range(0, first.length).toArray();
        for (double[] weights : List.of(new double[]{0.3, 0.7}, new double[]{0, 1}, new double[]{0.9, 0.1})) {
            double[] added = new double[first.length];
            Hybrid.addNormalised(first, identity, weights[0], added);
            Hybrid.addNormalised(second, identity, weights[1], added);
            double[] blended = Hybrid.blend(new double[][]{Hybrid.minMax(widen(first)), Hybrid.minMax(widen(second))}, weights);
            assertThat(added).containsExactly(blended);
        }
        // a constant vector carries no ranking (0), and only the indexes given are touched
        double[] onLarger = new double[4];
        Hybrid.addNormalised(new float[]{2, 2}, new int[]{3, 1}, 0.5, onLarger);
        Hybrid.addNormalised(new float[]{1, 3}, new int[]{0, 3}, 0.5, onLarger);
        assertThat(onLarger).containsExactly(0, 0, 0, 0.5);
    }

    private static double[] widen(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    @Test
    void gridCoversTheSimplexIncludingEverySingleModel() {
        List<double[]> grid = Hybrid.simplexGrid(3, 5);

        assertThat(grid).hasSize(21); // C(5 + 2, 2)
        assertThat(grid).allSatisfy(w -> assertThat(w[0] + w[1] + w[2]).isCloseTo(1, within(1e-12)));
        assertThat(grid.get(0)).containsExactly(1, 0, 0);
        assertThat(grid.get(grid.size() - 1)).containsExactly(0, 0, 1);
    }

    @Test
    void tuningPicksTheFirstWeightsThatRankTheValidationItemFirst() {
        // item 0 is seen; among 1..3 the validation item 3 wins only when w_first < w_second / 2
        InteractionMatrix seen = InteractionMatrix.of(IdIndex.of(List.of("u")), IdIndex.of(List.of("x0", "x1", "x2",
                "x3")), List.of(Fixtures.at("u", "x0", 1)));
        var tuned = Hybrid.tune(List.of(FIRST, SECOND), seen, List.of(new HeldOut(0, 3)), new Hybrid.Settings(0.25, 1));

        assertThat(tuned.validationNdcg()).isEqualTo(1);
        assertThat(tuned.hybrid().weights()).containsExactly(0.25, 0.75);
        assertThat(tuned.hybrid().recommend(0, 1, i -> seen.contains(0, i))).extracting(ScoredItem::item)
                .containsExactly(3);
    }
}
