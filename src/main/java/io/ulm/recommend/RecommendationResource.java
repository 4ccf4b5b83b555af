package io.ulm.recommend;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ulm.model.ModelConfig;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import io.ulm.model.ModelExamples;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recommendations and similar items (docs/models.md). Reactive: the handler returns at once; the reads and the
 * micro-batched ONNX Runtime call run off the event loop.
 */
@Path("/v1")
@Tag(name = "Recommendations", description = "Lifecycle-aware recommendations served by ONNX Runtime (role: read)")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    /** Item ids excluded in one request at most. */
    static final int MAX_EXCLUDED = 1_000;

    private final Recommendations recommendations;
    private final ModelConfig config;

    RecommendationResource(Recommendations recommendations, ModelConfig config) {
        this.recommendations = recommendations;
        this.config = config;
    }

    @GET
    @Path("/users/{id}/recommendations")
    @APIResponse(responseCode = "200", description = "Her recommendations", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "recommendations", value = ModelExamples.RECOMMENDATIONS)))
    @Operation(summary = "Recommendations for a user", description = "By lifecycle stage: new and cold users get what is popular in "
            + "their interests (or overall), engaged users items personalised by the active sequential model (after her recent items, "
            + "when it knows enough of them) or the active recommender model, at-risk and churned users the win-back selection. Seen "
            + "items are never recommended. The answer names the strategy and the model (kind, name, version).")
    public Uni<Recommendations.Answer> recommend(@PathParam("id") String id,
                                                @Parameter(description = "How many items (1 to ulm.models.recommendations.max-k)") @QueryParam("k") String k,
                                                @Parameter(description = "Only items of this catalogue category") @QueryParam("category") String category,
                                                @Parameter(description = "Item ids never to return, comma-separated") @QueryParam("exclude") String exclude) {
        int count = k(k, config);
        String only = category(category);
        Set<String> excluded = excluded(exclude);
        return Uni.createFrom().item(() -> recommendations.recommend(id, count, only, excluded))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static int k(String text, ModelConfig config) {
        int max = config.recommendations().maxK();
        if (text == null) {
            return config.recommendations().defaultK();
        }
        try {
            int k = Integer.parseInt(text.trim());
            if (k >= 1 && k <= max) {
                return k;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("k", "k must be a whole number from 1 to " + max + ", not '" + text + "'");
    }

    private static String category(String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw invalid("category", "category must not be blank");
        }
        return text.trim();
    }

    private static Set<String> excluded(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        List<String> ids = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (ids.size() > MAX_EXCLUDED) {
            throw invalid("exclude", "at most " + MAX_EXCLUDED + " item ids can be excluded, not " + ids.size());
        }
        return new LinkedHashSet<>(ids);
    }

    private static ProblemException invalid(String parameter, String detail) {
        return new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter", detail).with("parameter", parameter));
    }
}
