package io.ulm.winback;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link WinbackSaga} needs besides its own state: the campaigns' policies, the tables, the recommendation
 * port. Injected into every saga instance by {@code AxonRuntime}'s resource injector (sagas are serialised, these are not).
 */
@ApplicationScoped
public class WinbackServices {

    private final String directory;
    private final Map<String, WinbackPolicy> policies;
    private final WinbackPolicy policy;
    private final WinbackStore store;
    private final WinbackRecommendations recommendations;

    WinbackServices(WinbackConfig config, WinbackStore store, WinbackRecommendations recommendations) {
        String directory = config.policies();
        String campaign = config.campaign();
        this.directory = directory;
        this.policies = WinbackPolicies.load(Path.of(directory));
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

    /** Every loaded campaign, in file-name order. */
    public Map<String, WinbackPolicy> policies() {
        return policies;
    }

    public Optional<WinbackPolicy> policy(String campaignId) {
        return Optional.ofNullable(policies.get(campaignId));
    }

    /** Whether the saga starts episodes of this campaign. */
    public boolean live(String campaignId) {
        return policy.campaignId().equals(campaignId);
    }

    /** Where the policies were loaded from. */
    public String directory() {
        return directory;
    }

    public WinbackStore store() {
        return store;
    }

    public WinbackRecommendations recommendations() {
        return recommendations;
    }
}
