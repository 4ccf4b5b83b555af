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
