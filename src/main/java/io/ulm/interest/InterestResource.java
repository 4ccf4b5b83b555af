package io.ulm.interest;

import io.smallrye.mutiny.Uni;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A user's text interests (docs/interests.md). The class owns its whole path: JAX-RS picks the resource class by the
 * longest matching path before it looks at methods, so a path shared with another capability's class could hide it.
 */
@Path("/v1/users/{id}/interests")
@Tag(name = "Interests", description = "TF-IDF keywords and LDA topic interests (read: role read; fit: role admin). docs/interests.md")
@Produces(MediaType.APPLICATION_JSON)
public class InterestResource {

    private static final String PROBLEM = "application/problem+json";

    private final InterestQueries queries;
    private final InterestConfig config;

    InterestResource(InterestQueries queries, InterestConfig config) {
        this.queries = queries;
        this.config = config;
    }

    @GET
    @RolesAllowed({"read", "admin"})
    @Operation(summary = "A user's text interests: TF-IDF keywords and topic mixture",
            description = "keywords: the terms of the titles and descriptions of the items she engaged with (once per engagement) and "
                    + "of her own text (tags, reviews, comments; counted ulm.interests.own-text-weight times), scored tf = 1 + ln(count), "
                    + "idf = ln((N+1)/(df+1)) + 1 over users, L2-normalised over her whole bag; listed if count >= 2 and df >= 2 "
                    + "(defaults). documents = N and statisticsAt = when df and N were last computed. topics: her mixture under the active topic "
                    + "model (her items' topic distributions averaged, weighted by engagements). Category interests are served at "
                    + "related.categories.")
    @APIResponse(responseCode = "200", description = "Her interests", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "movielens", value = InterestExamples.INTERESTS)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "unknown", value = InterestExamples.UNKNOWN_USER)))
    public Uni<InterestQueries.Interests> interests(@PathParam("id") String id,
                                                    @Parameter(description = "Keywords to return (1..200; default ulm.interests.keywords)")
                                                    @QueryParam("keywords") Integer keywords,
                                                    @Parameter(description = "Topics to return (1..100)") @QueryParam("topics")
                                                    @DefaultValue("5") int topics) {
        int n = keywords == null ? config.keywords() : keywords;
        return queries.interests(id, bounded("keywords", n, 200), bounded("topics", topics, 100));
    }

    static int bounded(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter",
                    name + " must be between 1 and " + max + ", not " + value).with("parameter", name));
        }
        return value;
    }
}
