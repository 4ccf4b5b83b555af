package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopKTest {

    @Test
    void bestFirstTiesByLowerIndexExcludedAndNanSkipped() {
        double[] scores = {0.5, 0.9, 0.5, Double.NaN, 0.9, 0.1};

        assertThat(TopK.select(scores, 4, i -> i == 1)).extracting(ScoredItem::item).containsExactly(4, 0, 2, 5);
        assertThat(TopK.select(scores, 0, i -> false)).isEmpty();
        assertThat(TopK.select(scores, 10, i -> false)).hasSize(5);
    }
}
