package io.ulm.model.recsys;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
    void tiesInEventTimeAreBrokenByTheSeededHashSoTheHeldOutItemIsNotTheHighestIdOfHerLastBasket() {
        List<Interaction> baskets = new ArrayList<>();
        int users = 300;
        for (int u = 0; u < users; u++) {
            for (int line = 0; line < 5; line++) {
                baskets.add(at("u" + u, String.format("%05d", 100 * u + 7 * line), 5));
            }
        }
        var split = LeaveLastOut.split(baskets);
        IdIndex items = split.train().items();
        long highestIdHeldOut = split.test().stream().filter(h -> items.id(h.item()).equals(baskets.stream()
                .filter(i -> i.userId().equals(split.train().users().id(h.user()))).map(Interaction::itemId)
                .max(String::compareTo).orElseThrow())).count();
        long validationBelowTest = java.util.stream.IntStream.range(0, users).filter(i ->
                items.id(split.validation().get(i).item()).compareTo(items.id(split.test().get(i).item())) < 0).count();

        assertThat(split.test()).hasSize(users);
        assertThat((double) highestIdHeldOut / users).as("about 1 in 5 (by id it was every time)").isBetween(0.1, 0.3);
        assertThat((double) validationBelowTest / users).as("about half (by id it was every time)").isBetween(0.4, 0.6);
        for (HeldOut h : split.test()) {
            String user = split.train().users().id(h.user());
            String last = baskets.stream().filter(i -> i.userId().equals(user)).map(Interaction::itemId)
                    .max(TieBreak.itemsOf(user)).orElseThrow();
            assertThat(items.id(h.item())).as("the last in the seeded-hash order").isEqualTo(last);
        }
    }

    @Test
    void usersWithTheSameBasketHoldOutDifferentItemsOfIt() {
        // a tie order fixed per item would hold out the same line for all of them: a rank a sequential model can learn
        List<String> basket = List.of("85123A", "71053", "84406B", "84029G", "84029E", "22752", "21730");
        List<Interaction> log = new ArrayList<>();
        int users = 700;
        for (int u = 0; u < users; u++) {
            for (String item : basket) {
                log.add(at("u" + u, item, 5));
            }
        }
        var split = LeaveLastOut.split(log);
        java.util.Map<String, Long> heldOut = split.test().stream()
                .collect(java.util.stream.Collectors.groupingBy(h -> split.train().items().id(h.item()), java.util.stream.Collectors.counting()));
        assertThat(heldOut).as("every line is held out for some users").containsOnlyKeys(basket);
        assertThat(heldOut.values()).as("about a seventh each (100 of 700)").allSatisfy(n -> assertThat(n).isBetween(60L, 140L));
    }

    @Test
    void theTieBreakIsDeterministicWhateverTheInputOrder() {
        List<Interaction> basket = new ArrayList<>();
        for (String item : List.of("85123A", "71053", "84406B", "84029G", "84029E", "22752", "21730")) {
            basket.add(at("u", item, 5));
        }
        var first = LeaveLastOut.split(basket);
        List<Interaction> shuffled = new ArrayList<>(basket);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        var second = LeaveLastOut.split(shuffled);

        assertThat(second.test()).isEqualTo(first.test());
        assertThat(second.validation()).isEqualTo(first.validation());
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
