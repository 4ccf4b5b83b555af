package io.ulm.interest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;

/** Fitting the topic model, asynchronously, and following the fit (role admin; docs/interests.md). */
@Path("/v1/admin/topics/fit")
@Tag(name = "Admin", description = "Operations (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class TopicFitResource {

    private static final String PROBLEM = "application/problem+json";

    private final TopicFits fits;

    TopicFitResource(TopicFits fits) {
        this.fits = fits;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Fit the topic model (asynchronous)",
            description = "Refreshes the item terms and fits LDA (MALLET, one seeded sampler) on every item's title, description and "
                    + "users' text; the result becomes the active model. The body may override the configured parameters (all "
                    + "optional). Answers 202 at once; follow the fit with GET /v1/admin/topics/fit/{id}. One fit at a time.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "parameters",
            value = InterestExamples.FIT_REQUEST)))
    @APIResponse(responseCode = "202", description = "Fit started", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "started", value = InterestExamples.FIT_RUNNING)))
    @APIResponse(responseCode = "400", description = "A bad parameter", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "bad", value = InterestExamples.BAD_PARAMETER)))
    @APIResponse(responseCode = "409", description = "A fit is already running", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "running", value = InterestExamples.FIT_CONFLICT)))
    public Response fit(byte[] body) throws SQLException {
        TopicStore.FitStatus status = fits.start(request(body), "api");
        return Response.accepted(status).location(URI.create("/v1/admin/topics/fit/" + status.id())).build();
    }

    @GET
    @Path("/{id}")
    @Blocking
    @Operation(summary = "One topic fit: state and progress", description = "RUNNING with iterationsDone, then DONE with the model's "
            + "figures (documents, vocabulary, tokens, log-likelihood per token, mean UMass coherence), or FAILED with the error.")
    @APIResponse(responseCode = "200", description = "The fit", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {@ExampleObject(name = "running", value = InterestExamples.FIT_RUNNING),
                    @ExampleObject(name = "done", value = InterestExamples.FIT_DONE)}))
    @APIResponse(responseCode = "404", description = "No such fit", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "unknown", value = InterestExamples.UNKNOWN_FIT)))
    public TopicStore.FitStatus fit(@PathParam("id") long id) throws SQLException {
        return fits.status(id);
    }

    @GET
    @Blocking
    @Operation(summary = "The latest topic fit: state and progress")
    @APIResponse(responseCode = "200", description = "The latest fit", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "done", value = InterestExamples.FIT_DONE)))
    @APIResponse(responseCode = "404", description = "No fit yet", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "none", value = InterestExamples.NO_FIT)))
    public TopicStore.FitStatus latestFit() throws SQLException {
        return fits.latest();
    }

    /** The optional body; unknown fields are errors (a misspelt parameter must not silently fall back to the default). */
    private static TopicFits.Request request(byte[] body) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readerFor(TopicFits.Request.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(body);
        } catch (IOException e) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid topic model parameter",
                    "The body must be a JSON object with topics, alpha, beta, iterations and seed (all optional): " + e.getMessage()));
        }
    }
}
