package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import static io.ulm.model.recsys.Fixtures.item;
import static io.ulm.model.recsys.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

class ImplicitAlsTest {

    private static final ImplicitAls.Settings SMALL = new ImplicitAls.Settings(4, 0.1, 10, 10, 3, 7);

    @Test
    void recommendsWithinTheUsersTasteGroup() {
        InteractionMatrix m = Fixtures.twoGroups();
        ImplicitAls model = ImplicitAls.fit(m, SMALL);
        int u7 = user(m, "u7");

        assertThat(model.recommend(u7, 1, i -> m.contains(u7, i))).extracting(ScoredItem::item)
                .containsExactly(item(m, "c"));
        double[] scores = model.scores(u7);
        assertThat(scores[item(m, "c")]).isGreaterThan(scores[item(m, "d")]).isGreaterThan(scores[item(m, "g")]);
    }

    @Test
    void observedPairsAreReconstructedCloseToOneAndUnobservedCloseToZero() {
        InteractionMatrix m = Fixtures.twoGroups();
        ImplicitAls model = ImplicitAls.fit(m, SMALL);
        int u1 = user(m, "u1");

        assertThat(model.scores(u1)[item(m, "a")]).isBetween(0.7, 1.1);
        assertThat(model.scores(u1)[item(m, "e")]).isBetween(-0.2, 0.2);
    }

    @Test
    void sameSeedSameFactors() {
        InteractionMatrix m = Fixtures.twoGroups();

        assertThat(ImplicitAls.fit(m, SMALL).userFactors().values())
                .containsExactly(ImplicitAls.fit(m, SMALL).userFactors().values());
    }
}
