package io.ulm.winback;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link WinbackSaga} needs besides its own state: the live campaign's policy, the tables, the recommendation
 * port. Injected into every saga instance by {@code AxonRuntime}'s resource injector (sagas are serialised, these are not).
 */
@ApplicationScoped
public class WinbackServices {

    private final WinbackPolicy policy;
    private final WinbackStore store;
    private final WinbackRecommendations recommendations;

    WinbackServices(@ConfigProperty(name = "ulm.winback.policies", defaultValue = "projections/winback") String directory,
                    @ConfigProperty(name = "ulm.winback.campaign", defaultValue = "winback-default") String campaign,
                    WinbackStore store, WinbackRecommendations recommendations) {
        Map<String, WinbackPolicy> policies = WinbackPolicies.load(Path.of(directory));
        this.policy = policies.get(campaign);
        if (policy == null) {
            throw new IllegalStateException("No win-back campaign '" + campaign + "' in " + directory + ": " + policies.keySet());
        }
        this.store = store;
        this.recommendations = recommendations;
    }

    public WinbackPolicy policy() {
        return policy;
    }

    public WinbackStore store() {
        return store;
    }

    public WinbackRecommendations recommendations() {
        return recommendations;
    }
}
