package io.ulm.recommend;

import java.util.Set;

/**
 * Which strategy serves a user, by lifecycle stage (pure; docs/models.md "Lifecycle-aware recommendations"):
 * <ul>
 *   <li>AT_RISK and CHURNED: {@code win-back} — her personalised items, those of her favourite categories first
 *       (what win-back offers feature), or the popular items of her interests when the model does not know her;</li>
 *   <li>new users (ACQUIRED, ACTIVATED, no stage yet) and users with too little history or unknown to the model:
 *       {@code popular-in-interests} when she has category interests, else {@code popular};</li>
 *   <li>everybody else (engaged, monetized, loyal, reactivated): {@code personalised} by the active model.</li>
 * </ul>
 */
public final class RecommendationPolicy {

    public enum Strategy {
        PERSONALISED("personalised"), POPULAR("popular"), POPULAR_IN_INTERESTS("popular-in-interests"), WIN_BACK("win-back");

        private final String label;

        Strategy(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Set<String> NEW = Set.of("ACQUIRED", "ACTIVATED");
    private static final Set<String> SLIPPING = Set.of("AT_RISK", "CHURNED");

    private RecommendationPolicy() {
    }

    public static Strategy choose(String stage, boolean modelKnowsUser, int history, int minHistory, boolean hasInterests) {
        if (stage != null && SLIPPING.contains(stage)) {
            return Strategy.WIN_BACK;
        }
        boolean cold = stage == null || NEW.contains(stage) || !modelKnowsUser || history < minHistory;
        if (cold) {
            return hasInterests ? Strategy.POPULAR_IN_INTERESTS : Strategy.POPULAR;
        }
        return Strategy.PERSONALISED;
    }
}
