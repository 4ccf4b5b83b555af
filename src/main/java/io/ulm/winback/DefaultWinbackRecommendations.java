package io.ulm.winback;

import io.quarkus.arc.DefaultBean;
import io.ulm.recommend.Recommendations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;

/**
 * Reminders take the lifecycle-aware recommendations ({@code GET /v1/users/{id}/recommendations}). No model, or a
 * failure: the reminder goes out without items rather than blocking the saga (the action says so).
 */
@DefaultBean
@ApplicationScoped
class DefaultWinbackRecommendations implements WinbackRecommendations {

    private static final Logger LOG = Logger.getLogger(DefaultWinbackRecommendations.class);

    private final Instance<Recommendations> recommendations;

    DefaultWinbackRecommendations(Instance<Recommendations> recommendations) {
        this.recommendations = recommendations;   // lazily: the saga's services are built with Axon
    }

    @Override
    public List<String> items(String userId, int k) {
        try {
            return recommendations.get().recommend(userId, k, null, Set.of()).items().stream()
                    .map(Recommendations.Item::itemId).toList();
        } catch (RuntimeException e) {
            LOG.debugf("No recommendations for %s's win-back reminder: %s", userId, e.toString());
            return List.of();
        }
    }
}
