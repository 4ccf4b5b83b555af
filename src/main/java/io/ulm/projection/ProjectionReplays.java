package io.ulm.projection;

import io.ulm.platform.AxonRuntime;
import io.ulm.platform.Projection;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resets a projection and rebuilds it from the first event. Axon calls the projection's reset handler
 * (which empties its tables) in the same transaction that turns its tokens into replay tokens, so readers
 * never see a half-reset model paired with old tokens. Replays decide nothing and send nothing: they only
 * re-run projection handlers.
 */
@ApplicationScoped
public class ProjectionReplays {

    private final AxonRuntime axon;
    private final Map<String, Projection> projections = new LinkedHashMap<>();

    ProjectionReplays(AxonRuntime axon, Instance<Projection> all) {
        this.axon = axon;
        all.forEach(p -> projections.put(p.name(), p));
    }

    public Map<String, Projection> projections() {
        return projections;
    }

    public Projection projection(String name) {
        Projection projection = projections.get(name);
        if (projection == null) {
            throw new ProblemException(Problem.of(404, "unknown-projection", "Unknown projection",
                    "No projection '" + name + "'; there are " + projections.keySet()).with("projection", name));
        }
        return projection;
    }

    /** Stops the projection's processor on this node, resets its tokens (and tables) and starts it again. */
    public void replay(String name) {
        projection(name);
        PooledStreamingEventProcessor processor = axon.configuration().eventProcessingConfiguration()
                .eventProcessor(name, PooledStreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no processor " + name));
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (UnableToClaimTokenException e) {
            throw new ProblemException(Problem.of(409, "projection-busy", "Projection owned by another node",
                    "Another node holds segments of '" + name + "'; stop its processor there first (see docs/operations.md)")
                    .with("projection", name));
        } finally {
            processor.start();
        }
    }
}
