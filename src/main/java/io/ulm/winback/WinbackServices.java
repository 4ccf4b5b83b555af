package io.ulm.winback;

import io.ulm.lifecycle.LifecycleClock;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link WinbackSaga} needs besides its own state: the campaigns' policies (all loaded ones, for running
 * episodes and results; the live ones in priority order, for new triggers), the tables, the recommendation
 * port. Injected into every saga instance by {@code AxonRuntime}'s resource injector (sagas are serialised, these are not).
 */
@ApplicationScoped
public class WinbackServices {

    private final String directory;
    private final Map<String, WinbackPolicy> policies;
    private final List<WinbackPolicy> live;
    private final WinbackStore store;
    private final WinbackRecommendations recommendations;
    private final LifecycleClock clock;
    private final Duration staleAfter;

    WinbackServices(WinbackConfig config, WinbackStore store, WinbackRecommendations recommendations, LifecycleClock clock) {
        this.directory = config.policies();
        this.policies = WinbackPolicies.load(Path.of(directory));
        List<String> ids = config.campaigns().orElse(List.copyOf(policies.keySet()));
        List<WinbackPolicy> selected = new ArrayList<>();
        for (String id : ids) {
            WinbackPolicy p = policies.get(id.trim());
            if (p == null) {
                throw new IllegalStateException("No win-back campaign '" + id + "' in " + directory + ": " + policies.keySet());
            }
            selected.add(p);
        }
        this.live = List.copyOf(selected);
        this.store = store;
        this.recommendations = recommendations;
        this.clock = clock;
        this.staleAfter = config.staleAfter();
    }

    /**
     * How a trigger is judged now: against the shared lifecycle watermark, read from the database
     * ({@code lifecycle_clock}, the same on every node), never the wall clock.
     */
    public Judgement judge(Instant windowEnd, Instant returnedAt) {
        return Judgement.of(clock.watermark(), staleAfter, windowEnd, returnedAt);
    }

    /** The campaigns the saga runs, in the order a trigger tries them. */
    public List<WinbackPolicy> live() {
        return live;
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
        return live.stream().anyMatch(p -> p.campaignId().equals(campaignId));
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
