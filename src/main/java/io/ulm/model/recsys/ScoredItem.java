package io.ulm.model.recsys;

/** An item index with its score; recommendation lists are ordered by score descending, then index ascending. */
public record ScoredItem(int item, double score) {
}
