package io.ulm.model.recsys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Time-based leave-last-out split. For each user with at least {@link #MIN_HISTORY} distinct items, the item of her
 * last interaction by event time (ties broken by {@link TieBreak}, which is deterministic but carries no
 * order of the ids) is the test item, and the
 * item of the last interaction before it with another item is the validation item; the rest is training. Users with
 * a shorter history stay wholly in training: they help the models learn but are not evaluated, since one or two
 * items leave no taste to learn and nothing to hold out.
 *
 * <p>Models are tuned on {@link Split#train()} against the validation items, then refitted on
 * {@link Split#trainAndValidation()} and scored on the test items (the validation item is then seen, so excluded),
 * the usual protocol for sequential holdouts. Every interaction with a held-out item is held out with it, so a
 * repeated item never leaks into the seen set and becomes unrecommendable.
 */
public final class LeaveLastOut {

    /** Distinct items needed to be evaluated: one for test, one for validation, at least one to learn from. */
    public static final int MIN_HISTORY = 3;

    private static final Comparator<Interaction> EVENT_ORDER =
            Comparator.comparing(Interaction::at).thenComparingLong(i -> TieBreak.rank(i.userId(), i.itemId())).thenComparing(Interaction::itemId);

    private LeaveLastOut() {
    }

    /** Indexes span every user and item of the input, so all three parts share them. */
    public record Split(InteractionMatrix train, InteractionMatrix trainAndValidation,
                        List<HeldOut> validation, List<HeldOut> test) {
    }

    public static Split split(List<Interaction> interactions) {
        IdIndex users = IdIndex.of(interactions.stream().map(Interaction::userId).toList());
        IdIndex items = IdIndex.of(interactions.stream().map(Interaction::itemId).toList());
        Map<String, List<Interaction>> byUser = interactions.stream()
                .collect(Collectors.groupingBy(Interaction::userId, TreeMap::new, Collectors.toList()));
        List<Interaction> train = new ArrayList<>();
        List<Interaction> validationEvents = new ArrayList<>();
        List<HeldOut> validation = new ArrayList<>();
        List<HeldOut> test = new ArrayList<>();
        for (List<Interaction> history : byUser.values()) {
            List<Interaction> ordered = history.stream().sorted(EVENT_ORDER).toList();
            List<String> lastDistinct = lastDistinctItems(ordered);
            if (lastDistinct.size() < MIN_HISTORY) {
                train.addAll(ordered);
                continue;
            }
            String testItem = lastDistinct.get(0);
            String validationItem = lastDistinct.get(1);
            int user = users.index(ordered.get(0).userId());
            test.add(new HeldOut(user, items.index(testItem)));
            validation.add(new HeldOut(user, items.index(validationItem)));
            for (Interaction event : ordered) {
                if (event.itemId().equals(validationItem)) {
                    validationEvents.add(event);
                } else if (!event.itemId().equals(testItem)) {
                    train.add(event);
                }
            }
        }
        List<Interaction> trainAndValidation = new ArrayList<>(train);
        trainAndValidation.addAll(validationEvents);
        return new Split(InteractionMatrix.of(users, items, train), InteractionMatrix.of(users, items, trainAndValidation),
                List.copyOf(validation), List.copyOf(test));
    }

    /** Distinct items by their last interaction, latest first; stops once it has found {@link #MIN_HISTORY}. */
    private static List<String> lastDistinctItems(List<Interaction> ordered) {
        List<String> found = new ArrayList<>(MIN_HISTORY);
        for (int at = ordered.size() - 1; at >= 0 && found.size() < MIN_HISTORY; at--) {
            String item = ordered.get(at).itemId();
            if (!found.contains(item)) {
                found.add(item);
            }
        }
        return found;
    }
}
