package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ulm.model.recsys.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

class LeaveLastOutTest {

    @Test
    void lastItemIsTestOneBeforeIsValidationRestIsTraining() {
        var split = LeaveLastOut.split(List.of(at("u", "c", 30), at("u", "a", 10), at("u", "d", 40), at("u", "b", 20)));
        InteractionMatrix train = split.train();
        int u = train.users().index("u");

        assertThat(split.test()).containsExactly(new HeldOut(u, train.items().index("d")));
        assertThat(split.validation()).containsExactly(new HeldOut(u, train.items().index("c")));
        assertThat(train.itemsOf(u)).containsExactly(train.items().index("a"), train.items().index("b"));
        assertThat(split.trainAndValidation().itemsOf(u))
                .containsExactly(train.items().index("a"), train.items().index("b"), train.items().index("c"));
    }

    @Test
    void tiesInEventTimeAreBrokenByItemId() {
        var split = LeaveLastOut.split(List.of(at("u", "z", 5), at("u", "y", 5), at("u", "x", 5)));
        IdIndex items = split.train().items();

        assertThat(split.test()).extracting(HeldOut::item).containsExactly(items.index("z"));
        assertThat(split.validation()).extracting(HeldOut::item).containsExactly(items.index("y"));
    }

    @Test
    void usersWithShortHistoriesAreTrainedOnButNotEvaluated() {
        var split = LeaveLastOut.split(List.of(at("short", "a", 1), at("short", "b", 2),
                at("long", "a", 1), at("long", "b", 2), at("long", "c", 3)));
        int shortUser = split.train().users().index("short");

        assertThat(split.test()).extracting(HeldOut::user).doesNotContain(shortUser).hasSize(1);
        assertThat(split.validation()).extracting(HeldOut::user).doesNotContain(shortUser).hasSize(1);
        assertThat(split.train().userDegree(shortUser)).isEqualTo(2);
    }

    @Test
    void repeatedHeldOutItemsNeverLeakIntoTraining() {
        var split = LeaveLastOut.split(List.of(at("u", "a", 1), at("u", "b", 2), at("u", "c", 3), at("u", "b", 4),
                at("u", "c", 5), at("u", "c", 6)));
        IdIndex items = split.train().items();
        int u = split.train().users().index("u");

        assertThat(split.test()).containsExactly(new HeldOut(u, items.index("c")));
        assertThat(split.validation()).containsExactly(new HeldOut(u, items.index("b")));
        assertThat(split.train().itemsOf(u)).containsExactly(items.index("a"));
        assertThat(split.trainAndValidation().itemsOf(u)).containsExactly(items.index("a"), items.index("b"));
        assertThat(split.trainAndValidation().confidencesOf(u)).containsExactly(1f, 2f);
    }

    @Test
    void allPartsShareTheIndexesOfTheWholeDataSet() {
        var split = LeaveLastOut.split(List.of(at("u", "a", 1), at("u", "b", 2), at("u", "only-in-test", 3)));

        assertThat(split.train().items().ids()).containsExactly("a", "b", "only-in-test");
        assertThat(split.train().itemDegree(split.train().items().index("only-in-test"))).isZero();
    }
}
