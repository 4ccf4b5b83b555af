package io.ulm.recommend;

import io.ulm.model.recsys.Hybrid;
import io.ulm.model.recsys.IdIndex;
import io.ulm.model.recsys.Recommender;
import io.ulm.model.recsys.ScoredItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served blend by item id ranks as the offline {@link Hybrid} does, for two models that know different items: the
 * offline side sees both over one index of all ids, where an item a model does not know gets that model's lowest
 * score (which min-max turns into the 0 the served blend gives it).
 */
class ScoreBlendTest {

    private record Fixed(String name, double[] values) implements Recommender {
        @Override
        public double[] scores(int user) {
            return values.clone();
        }
    }

    @Test
    void servedBlendByItemIdEqualsTheOfflineHybridIncludingItemsOnlyOneModelKnows() {
        Random random = new Random(7);
        // the factorisation knows i000..i149, the sequential model i050..i199: 50 items each only one of them knows
        List<String> first = ids(0, 150);
        List<String> second = ids(50, 200);
        float[] firstScores = scores(random, first.size(), 3.0f, -1.0f);
        float[] secondScores = scores(random, second.size(), 12.0f, -4.0f);
        Set<String> seen = Set.of("i003", "i120", "i180", "i060");
        double[] weights = {0.3, 0.7};

        List<ScoreBlend.Blended> served = ScoreBlend.top(List.of(first, second), List.of(firstScores, secondScores), weights, seen::contains, 200);

        IdIndex all = IdIndex.of(ids(0, 200));
        Hybrid offline = Hybrid.of(List.of(onIndex(all, first, firstScores), onIndex(all, second, secondScores)), weights);
        List<ScoredItem> expected = offline.recommend(0, 200, i -> seen.contains(all.id(i)));
        assertThat(served).extracting(ScoreBlend.Blended::itemId).containsExactlyElementsOf(expected.stream().map(s -> all.id(s.item())).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(served.get(i).score()).as("the same arithmetic: bit for bit").isEqualTo(expected.get(i).score());
        }
        assertThat(served).as("every item either model knows, in the same order, but never a seen one").hasSize(196)
                .extracting(ScoreBlend.Blended::itemId).doesNotContainAnyElementsOf(seen);
    }

    @Test
    void aWeightOfOneKeepsThatModelsRankingExactly() {
        List<String> first = List.of("a", "b", "c");
        List<String> second = List.of("b", "c", "d");
        List<ScoreBlend.Blended> top = ScoreBlend.top(List.of(first, second), List.of(new float[]{5, 1, 3}, new float[]{0, 2, 9}),
                new double[]{0, 1}, id -> false, 4);

        assertThat(top).extracting(ScoreBlend.Blended::itemId).containsExactly("d", "c", "a", "b");
        assertThat(top).extracting(ScoreBlend.Blended::score).containsExactly(1.0, 2.0 / 9, 0.0, 0.0);
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format("i%03d", i)).toList();
    }

    private static float[] scores(Random random, int n, float scale, float shift) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextFloat() * scale + shift;
        }
        return s;
    }

    /** The model's scores over the index of all ids; an item it does not know gets its lowest score. */
    private static Recommender onIndex(IdIndex all, List<String> ids, float[] scores) {
        double min = IntStream.range(0, scores.length).mapToDouble(i -> scores[i]).min().orElseThrow();
        double[] row = new double[all.size()];
        java.util.Arrays.fill(row, min);
        for (int i = 0; i < ids.size(); i++) {
            row[all.index(ids.get(i))] = scores[i];
        }
        return new Fixed("m", row);
    }
}
