package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import static io.ulm.model.recsys.Fixtures.item;
import static io.ulm.model.recsys.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

class PopularityTest {

    @Test
    void ranksByDistinctUsersAndSkipsSeenItems() {
        InteractionMatrix m = Fixtures.twoGroups();
        Popularity model = Popularity.fit(m);
        int u7 = user(m, "u7");

        assertThat(model.scores(u7)[item(m, "a")]).isEqualTo(4);
        // c (3 users) beats d, e, f (3 users each) on the lower index; a and b are seen
        assertThat(model.recommend(u7, 2, i -> m.contains(u7, i))).extracting(ScoredItem::item)
                .containsExactly(item(m, "c"), item(m, "d"));
    }
}
