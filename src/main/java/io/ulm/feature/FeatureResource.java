package io.ulm.feature;

import io.smallrye.common.annotation.Blocking;
import io.ulm.audit.AsOfProfiles;
import io.ulm.audit.AuditLog;
import io.ulm.lifecycle.LifecycleClock;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** {@code GET /v1/users/{id}/features}: a user's behavioural features and category interests (docs/features.md). */
@Path("/v1")
@Tag(name = "Features", description = "Behavioural features and category interests, in event time (role: read)")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class FeatureResource {

    private final FeatureReads reads;
    private final AsOfFeatures asOf;
    private final AuditLog log;
    private final LifecycleClock clock;

    FeatureResource(FeatureReads reads, AsOfFeatures asOf, AuditLog log, LifecycleClock clock) {
        this.reads = reads;
        this.asOf = asOf;
        this.log = log;
        this.clock = clock;
    }

    @GET
    @Path("/users/{id}/features")
    @Blocking
    @APIResponse(responseCode = "200", description = "The features at the watermark (or at asOf)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "features", value = FeatureExamples.FEATURES)))
    @APIResponse(responseCode = "400", description = "A bad asOf or top", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad asOf", value = FeatureExamples.BAD_AS_OF)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown", value = FeatureExamples.UNKNOWN)))
    @Operation(summary = "A user's behavioural features and category interests",
            description = "Recency, frequency, monetary value, tenure, mean inter-purchase time, activity trend, sessions and "
                    + "time-decayed category interests, evaluated at the event-time watermark from the features projection. With "
                    + "asOf: rebuilt from the event log as they were at that instant. Formulas and units: docs/features.md.")
    public UserFeatures features(@PathParam("id") String id,
                                 @Parameter(description = "An RFC 3339 instant: the features as they were then, rebuilt from the log",
                                         example = "2011-06-01T00:00:00Z") @QueryParam("asOf") String asOfText,
                                 @Parameter(description = "How many top categories to list (1 to 1000; default ulm.features.top-categories)",
                                         example = "5") @QueryParam("top") String topText) {
        int top = top(topText);
        if (asOfText != null) {
            Instant at = AsOfProfiles.parse(asOfText);
            return asOf.features(id, at, top).orElseThrow(() -> unknown(id, " by " + at + " (event time)"));
        }
        String userId = log.resolve(id).orElseThrow(() -> unknown(id, ""));
        Instant watermark = clock.watermark();
        if (watermark == null) {
            // nothing decided yet (a first import still running): the log is the only place that knows her
            return asOf.latest(userId, top).orElseThrow(() -> unknown(id, ""));
        }
        return reads.user(userId, watermark, top).orElseGet(() -> FeatureCalculator.compute(userId,
                new FeatureCalculator.Inputs(new FeatureState(), java.util.Map.of(), java.util.Map.of(), java.util.Map.of()),
                watermark, UserFeatures.WATERMARK, reads.settings(), top));
    }

    private int top(String text) {
        if (text == null) {
            return reads.settings().topCategories();
        }
        try {
            int top = Integer.parseInt(text.trim());
            if (top >= 1 && top <= 1000) {
                return top;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter",
                "top must be a whole number from 1 to 1000, not '" + text + "'").with("parameter", "top"));
    }

    private static ProblemException unknown(String id, String when) {
        return new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                "No user with id '" + id + "' has sent any message" + when).with("userId", id));
    }
}
