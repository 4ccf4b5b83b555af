package io.ulm.recommend;

import io.ulm.recommend.RecommendationPolicy.Served;
import io.ulm.recommend.RecommendationPolicy.Strategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who gets which strategy, and when the sequential model answers instead of the factorisation. */
class RecommendationPolicyTest {

    private static final int MIN = 3;
    private static final int SEQUENTIAL_MIN = 5;

    @Test
    void engagedUsersWithEnoughKnownRecentItemsGetTheSequentialModel() {
        Strategy s = RecommendationPolicy.choose("ENGAGED", true, 12, MIN, true, 8, SEQUENTIAL_MIN);
        assertThat(s).isEqualTo(Strategy.PERSONALISED);
        assertThat(RecommendationPolicy.sequential(s, 8, SEQUENTIAL_MIN)).isTrue();
        assertThat(RecommendationPolicy.sequential(s, 4, SEQUENTIAL_MIN)).as("too few items the model knows: the factorisation").isFalse();
    }

    @Test
    void theSequentialModelServesEngagedUsersTheFactorisationDoesNotKnow() {
        assertThat(RecommendationPolicy.choose("LOYAL", false, 12, MIN, true)).isEqualTo(Strategy.POPULAR_IN_INTERESTS);
        Strategy s = RecommendationPolicy.choose("LOYAL", false, 12, MIN, true, 6, SEQUENTIAL_MIN);
        assertThat(s).isEqualTo(Strategy.PERSONALISED);
        assertThat(RecommendationPolicy.sequential(s, 6, SEQUENTIAL_MIN)).isTrue();
    }

    @Test
    void newSlippingAndShortHistoriesKeepTheirStrategies() {
        assertThat(RecommendationPolicy.choose("ACTIVATED", true, 12, MIN, false, 12, SEQUENTIAL_MIN)).isEqualTo(Strategy.POPULAR);
        assertThat(RecommendationPolicy.choose(null, true, 12, MIN, true, 12, SEQUENTIAL_MIN)).isEqualTo(Strategy.POPULAR_IN_INTERESTS);
        Strategy winBack = RecommendationPolicy.choose("AT_RISK", true, 12, MIN, true, 12, SEQUENTIAL_MIN);
        assertThat(winBack).isEqualTo(Strategy.WIN_BACK);
        assertThat(RecommendationPolicy.sequential(winBack, 12, SEQUENTIAL_MIN)).isFalse();
        assertThat(RecommendationPolicy.choose("ENGAGED", false, 2, MIN, false, 2, 1)).isEqualTo(Strategy.POPULAR);
        assertThat(RecommendationPolicy.sequential(Strategy.PERSONALISED, 0, 0)).as("no sequential model active").isFalse();
    }

    @Test
    void bothModelsAreBlendedWhenBothKnowHerAndTheTunedBlendMixesThem() {
        Strategy s = RecommendationPolicy.choose("ENGAGED", true, 12, MIN, true, 8, SEQUENTIAL_MIN);
        assertThat(RecommendationPolicy.served(s, true, 8, SEQUENTIAL_MIN, 0.7)).isEqualTo(Served.HYBRID);
        assertThat(RecommendationPolicy.served(s, false, 8, SEQUENTIAL_MIN, 0.7)).as("the factorisation does not know her")
                .isEqualTo(Served.SEQUENTIAL);
        assertThat(RecommendationPolicy.served(s, true, 4, SEQUENTIAL_MIN, 0.7)).as("too few items the sequential model knows")
                .isEqualTo(Served.FACTORISATION);
        assertThat(RecommendationPolicy.served(s, true, 8, SEQUENTIAL_MIN, 1.0)).as("the blend is SASRec alone").isEqualTo(Served.SEQUENTIAL);
        assertThat(RecommendationPolicy.served(s, true, 8, SEQUENTIAL_MIN, 0.0)).as("weight 0: served as without a blend")
                .isEqualTo(Served.SEQUENTIAL);
        assertThat(RecommendationPolicy.served(s, true, 8, SEQUENTIAL_MIN, Double.NaN)).as("no tuned blend (an uploaded model)")
                .isEqualTo(Served.SEQUENTIAL);
        Strategy winBack = RecommendationPolicy.choose("CHURNED", true, 12, MIN, true, 12, SEQUENTIAL_MIN);
        assertThat(RecommendationPolicy.served(winBack, true, 12, SEQUENTIAL_MIN, 0.5)).isEqualTo(Served.FACTORISATION);
    }
}
