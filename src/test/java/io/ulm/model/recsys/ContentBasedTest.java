package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ulm.model.recsys.Fixtures.item;
import static io.ulm.model.recsys.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ContentBasedTest {

    private static final Map<String, List<String>> GENRES = Map.of("a", List.of("SciFi"), "b", List.of("SciFi"),
            "c", List.of("SciFi", "Action"), "d", List.of("Drama"), "e", List.of("Drama"), "f", List.of("Drama"),
            "g", List.of("Drama", "Romance"));

    @Test
    void scoresAreCosinesWithTheConfidenceWeightedProfile() {
        InteractionMatrix m = Fixtures.twoGroups();
        ContentBased model = ContentBased.fit(m, ItemFeatures.categories(m.items(), GENRES));
        int u7 = user(m, "u7"); // a and b: profile = 2·SciFi
        double[] scores = model.scores(u7);

        assertThat(scores[item(m, "c")]).isCloseTo(1 / Math.sqrt(2), within(1e-12));
        assertThat(scores[item(m, "d")]).isZero();
        assertThat(model.recommend(u7, 1, i -> m.contains(u7, i))).extracting(ScoredItem::item)
                .containsExactly(item(m, "c"));
    }

    @Test
    void extraFeatureBlocksAreAppendedWithTheirWeight() {
        InteractionMatrix m = Fixtures.twoGroups();
        ItemFeatures genres = ItemFeatures.categories(m.items(), GENRES);
        ItemFeatures text = ItemFeatures.categories(m.items(), Map.of("d", List.of("space")));
        ItemFeatures both = genres.concat(text, 0.5);

        assertThat(both.dimension()).isEqualTo(genres.dimension() + 1);
        assertThat(both.values()[item(m, "d")]).containsExactly(1f, 0.5f);
        assertThat(both.indices()[item(m, "d")][1]).isEqualTo(genres.dimension());
    }

    @Test
    void usersWithoutHistoryGetNoContentScores() {
        InteractionMatrix m = InteractionMatrix.of(List.of(Fixtures.at("x", "a", 1)));
        ContentBased model = ContentBased.fit(m, ItemFeatures.categories(m.items(), Map.of()));

        assertThat(model.scores(0)).containsOnly(0.0);
    }
}
