package io.ulm.recommend;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ulm.model.ModelConfig;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** {@code GET /v1/items/{id}/similar} (its own root path: the catalogue resource owns {@code /v1/items}). */
@Path("/v1/items/{id}/similar")
@Tag(name = "Recommendations")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SimilarItemsResource {

    private final Recommendations recommendations;
    private final ModelConfig config;

    SimilarItemsResource(Recommendations recommendations, ModelConfig config) {
        this.recommendations = recommendations;
        this.config = config;
    }

    @GET
    @APIResponse(responseCode = "200", description = "Similar items", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "similar", value = ModelExamples.SIMILAR)))
    @Operation(summary = "Items similar to an item", description = "Item-item cosine over the users who engaged with them (co-occurrence).")
    public Uni<Map<String, Object>> similar(@PathParam("id") String id, @QueryParam("k") String k) {
        int count = RecommendationResource.k(k, config);
        return Uni.createFrom().item(() -> Map.<String, Object>of("itemId", id, "items", recommendations.similar(id, count)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
