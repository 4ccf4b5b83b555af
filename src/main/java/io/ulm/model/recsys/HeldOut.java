package io.ulm.model.recsys;

/** A held-out (user, item) pair, by dense index, that a recommender should rank highly. */
public record HeldOut(int user, int item) {
}
