package io.ulm.model.sequential;

import io.ulm.model.recsys.IdIndex;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.TieBreak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each user's items in event time: her distinct items ordered by their last interaction (ties by
 * {@link io.ulm.model.recsys.TieBreak}, not by id: the order inside one basket carries no information), the order
 * {@link io.ulm.model.recsys.LeaveLastOut} holds out by, so her last item is the test item and the one before is the
 * validation item. Repeats collapse to the latest, which is also what serving reads (the last interaction per item).
 * Indexes are the sorted ids ({@link IdIndex}), the same as every other recommender's and the ONNX mapping's.
 */
public final class Sequences {

    /** Users with fewer distinct items are not evaluated (one item each for test and validation, one to learn from). */
    public static final int MIN_EVALUATED = 3;

    private final IdIndex users;
    private final IdIndex items;
    private final int[][] byUser;

    private Sequences(IdIndex users, IdIndex items, int[][] byUser) {
        this.users = users;
        this.items = items;
        this.byUser = byUser;
    }

    public static Sequences of(List<Interaction> interactions) {
        IdIndex users = IdIndex.of(interactions.stream().map(Interaction::userId).toList());
        IdIndex items = IdIndex.of(interactions.stream().map(Interaction::itemId).toList());
        List<Map<Integer, Instant>> last = new ArrayList<>(users.size());
        for (int u = 0; u < users.size(); u++) {
            last.add(new HashMap<>());
        }
        for (Interaction i : interactions) {
            last.get(users.index(i.userId())).merge(items.index(i.itemId()), i.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        int[][] byUser = new int[users.size()][];
        for (int u = 0; u < byUser.length; u++) {
            java.util.Comparator<String> ties = TieBreak.itemsOf(users.id(u));
            byUser[u] = last.get(u).entrySet().stream()
                    .sorted(Map.Entry.<Integer, Instant>comparingByValue().thenComparing(e -> items.ids().get(e.getKey()), ties))
                    .mapToInt(Map.Entry::getKey).toArray();
        }
        return new Sequences(users, items, byUser);
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    public int numUsers() {
        return byUser.length;
    }

    public int numItems() {
        return items.size();
    }

    /** Her item indexes, oldest first (a copy). */
    public int[] of(int user) {
        return byUser[user].clone();
    }

    public boolean evaluated(int user) {
        return byUser[user].length >= MIN_EVALUATED;
    }

    /** What the model learns from: evaluated users without their last two items, everybody else whole. */
    public int[] training(int user) {
        int[] s = byUser[user];
        return evaluated(user) ? Arrays.copyOf(s, s.length - 2) : s.clone();
    }

    /** The input the validation item is predicted from (her training items). */
    public int[] validationInput(int user) {
        return training(user);
    }

    public int validationItem(int user) {
        return byUser[user][byUser[user].length - 2];
    }

    /** The input the test item is predicted from (training items and the validation item). */
    public int[] testInput(int user) {
        return Arrays.copyOf(byUser[user], byUser[user].length - 1);
    }

    public int testItem(int user) {
        return byUser[user][byUser[user].length - 1];
    }

    /** The evaluated users, ascending. */
    public int[] evaluatedUsers() {
        return java.util.stream.IntStream.range(0, byUser.length).filter(this::evaluated).toArray();
    }

    /**
     * The last {@code length} items as model tokens, left-padded: token = item index + 1, 0 = padding (the graph's
     * {@code history} input uses item indexes with -1 as padding, and adds one).
     */
    public static long[] tokens(int[] items, int length) {
        long[] tokens = new long[length];
        int n = Math.min(length, items.length);
        for (int i = 0; i < n; i++) {
            tokens[length - n + i] = items[items.length - n + i] + 1L;
        }
        return tokens;
    }
}
