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

    @Test
    void equalsSortingTheKeptItemsWhateverTheExclusionsAndTies() {
        java.util.Random random = new java.util.Random(13);
        double[] scores = new double[2_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextInt(300) / 10.0;   // many ties
        }
        java.util.Set<Integer> excluded = new java.util.HashSet<>();
        while (excluded.size() < 400) {
            excluded.add(random.nextInt(scores.length));
        }
        for (int k : new int[]{1, 10, 50, 1_700}) {
            java.util.List<Integer> expected = java.util.stream.IntStream.range(0, scores.length).boxed().filter(i -> !excluded.contains(i))
                    .sorted(java.util.Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i)).limit(k).toList();
            assertThat(TopK.select(scores, k, excluded::contains)).extracting(ScoredItem::item).containsExactlyElementsOf(expected);
        }
    }
}
