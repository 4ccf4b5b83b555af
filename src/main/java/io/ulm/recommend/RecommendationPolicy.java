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
 * Within {@code personalised}, {@link #sequential} says whether the sequential model (SASRec) serves her instead of
 * the factorisation: when one is active and knows enough of her recent items. It reads what she did last, so it also
 * serves engaged users who arrived after the factorisation was trained. {@link #served} adds the hybrid: when the
 * factorisation knows her too and the blend tuned at training has a sequential weight strictly between 0 and 1, both
 * models' scores are blended; a weight of exactly 0 or 1 leaves the single model.
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

    /** The model behind a personalised or win-back answer. */
    public enum Served { FACTORISATION, SEQUENTIAL, HYBRID }

    private static final Set<String> NEW = Set.of("ACQUIRED", "ACTIVATED");
    private static final Set<String> SLIPPING = Set.of("AT_RISK", "CHURNED");

    private RecommendationPolicy() {
    }

    /**
     * The strategy, letting the sequential model stand in for a factorisation that does not know her: {@code
     * sequentialHistory} is how many of her recent items the active sequential model knows (0 when none is active).
     */
    public static Strategy choose(String stage, boolean modelKnowsUser, int history, int minHistory, boolean hasInterests,
                                  int sequentialHistory, int sequentialMinHistory) {
        Strategy strategy = choose(stage, modelKnowsUser, history, minHistory, hasInterests);
        boolean coldOnlyForTheFactorisation = stage != null && !NEW.contains(stage) && !SLIPPING.contains(stage) && history >= minHistory;
        return strategy != Strategy.WIN_BACK && coldOnlyForTheFactorisation && sequentialHistory > 0 && sequentialHistory >= sequentialMinHistory
                ? Strategy.PERSONALISED : strategy;
    }

    /** Whether the sequential model serves a personalised answer: she is engaged and it knows enough of her recent items. */
    public static boolean sequential(Strategy strategy, int sequentialHistory, int sequentialMinHistory) {
        return strategy == Strategy.PERSONALISED && sequentialHistory > 0 && sequentialHistory >= sequentialMinHistory;
    }

    /**
     * Who answers: the sequential model when {@link #sequential} says so, blended with the factorisation when that
     * knows her as well and {@link #blend} holds for the tuned sequential weight (NaN when there is none); else the
     * factorisation.
     */
    public static Served served(Strategy strategy, boolean factorisationKnowsUser, int sequentialHistory, int sequentialMinHistory,
                                double sequentialWeight) {
        if (!sequential(strategy, sequentialHistory, sequentialMinHistory)) {
            return Served.FACTORISATION;
        }
        return factorisationKnowsUser && blend(sequentialWeight) ? Served.HYBRID : Served.SEQUENTIAL;
    }

    /** A blend only mixes when both weights are positive: 0 or 1 is one model (served as it is), NaN no tuned blend. */
    public static boolean blend(double sequentialWeight) {
        return sequentialWeight > 0 && sequentialWeight < 1;
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
