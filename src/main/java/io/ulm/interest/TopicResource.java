package io.ulm.interest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The topic model's topics (docs/interests.md). */
@Path("/v1/topics")
@Tag(name = "Interests")
@Produces(MediaType.APPLICATION_JSON)
public class TopicResource {

    private final InterestQueries queries;

    TopicResource(InterestQueries queries) {
        this.queries = queries;
    }

    @GET
    @RolesAllowed({"read", "admin"})
    @Operation(summary = "The topic model's topics with their top words",
            description = "The active model (the latest finished fit) or ?model=; each topic with its share of the corpus' tokens and "
                    + "its top words by p(word | topic). Before the first fit: model null, no topics.")
    @APIResponse(responseCode = "200", description = "The topics", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {@ExampleObject(name = "movielens", value = InterestExamples.TOPICS),
                    @ExampleObject(name = "not fitted yet", value = InterestExamples.NO_MODEL)}))
    @APIResponse(responseCode = "404", description = "No finished model with that id", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown", value = InterestExamples.UNKNOWN_MODEL)))
    public Uni<InterestQueries.Topics> topics(@Parameter(description = "A model id (default: the active model)") @QueryParam("model") Long model,
                                              @Parameter(description = "Words per topic (1..100)") @QueryParam("words") @DefaultValue("10") int words) {
        return queries.topics(model == null ? -1 : model, InterestResource.bounded("words", words, 100));
    }

}
