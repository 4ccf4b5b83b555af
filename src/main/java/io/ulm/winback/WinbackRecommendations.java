package io.ulm.winback;

import java.util.List;

/** The port through which a win-back reminder gets its recommended items (stubbed in tests). */
public interface WinbackRecommendations {

    /** Up to {@code k} item ids for the user, best first; empty when nothing can be recommended. */
    List<String> items(String userId, int k);
}
