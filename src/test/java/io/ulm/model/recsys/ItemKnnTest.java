package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import static io.ulm.model.recsys.Fixtures.item;
import static io.ulm.model.recsys.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ItemKnnTest {

    @Test
    void similarItemsAreCosineOfBinaryColumns() {
        InteractionMatrix m = Fixtures.twoGroups();
        ItemKnn model = ItemKnn.fit(m, ItemKnn.Settings.DEFAULTS);

        // a: u1,u2,u3,u7 ; b: the same four users → cosine 1; c: u1..u3 → 3 / sqrt(4·3)
        assertThat(model.similar(item(m, "a"), 2)).containsExactly(
                new ScoredItem(item(m, "b"), 1.0f), new ScoredItem(item(m, "c"), (float) (3 / Math.sqrt(12))));
        // g co-occurs only with u6's items d, e, f: 1 / sqrt(1·3) each, ties by index
        assertThat(model.similar(item(m, "g"), 5)).extracting(ScoredItem::item)
                .containsExactly(item(m, "d"), item(m, "e"), item(m, "f"));
    }

    @Test
    void recommendsTheMissingItemOfTheUsersGroup() {
        InteractionMatrix m = Fixtures.twoGroups();
        ItemKnn model = ItemKnn.fit(m, ItemKnn.Settings.DEFAULTS);
        int u7 = user(m, "u7");

        var top = model.recommend(u7, 1, i -> m.contains(u7, i));

        assertThat(top).extracting(ScoredItem::item).containsExactly(item(m, "c"));
        assertThat(top.get(0).score()).isCloseTo(2 * 3 / Math.sqrt(12), within(1e-6));
    }

    @Test
    void keepsOnlyTheConfiguredNumberOfNeighbours() {
        InteractionMatrix m = Fixtures.twoGroups();

        assertThat(ItemKnn.fit(m, new ItemKnn.Settings(1)).similar(item(m, "d"), 5)).hasSize(1);
    }
}
