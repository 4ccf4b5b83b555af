package io.ulm.model.recsys;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * A fitted recommender over the dense item indexes of the matrix it was fitted on. Scores are only compared within
 * one user (scales differ between models; {@link Hybrid} normalises them). Implementations are immutable and safe to
 * share between threads.
 */
public interface Recommender {

    /** A short stable name, used in reports. */
    String name();

    /** A score for every item (length = number of items); higher means more relevant. */
    double[] scores(int user);

    /**
     * The k best items for the user, best first (ties: lower item index first), skipping excluded items, typically
     * the ones she has already seen: {@code item -> seen.contains(user, item)}.
     */
    default List<ScoredItem> recommend(int user, int k, IntPredicate exclude) {
        return TopK.select(scores(user), k, exclude);
    }
}
