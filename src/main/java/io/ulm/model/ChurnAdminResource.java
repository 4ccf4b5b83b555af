package io.ulm.model;

import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/admin/churn/score}: score every user now (the job also runs on a schedule). */
@Path("/v1/admin/churn")
@Tag(name = "Churn")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ChurnAdminResource {

    private final ChurnScoringJob job;

    ChurnAdminResource(ChurnScoringJob job) {
        this.job = job;
    }

    @POST
    @Path("/score")
    @Blocking
    @APIResponse(responseCode = "200", description = "What the run did", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "scored", value = ModelExamples.SCORING)))
    @APIResponse(responseCode = "409", description = "No churn model is active", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "no model", value = ModelExamples.NO_MODEL)))
    @Operation(summary = "Score every user's churn risk now", description = "With the active churn model at the watermark; users at or above "
            + "ulm.models.churn.threshold get ChurnRiskRaised (once per episode). Answers users scored, raised, seconds and users per minute.")
    public ChurnScoringJob.Summary score() {
        return job.run().orElseThrow(() -> new ProblemException(Problem.of(409, "no-churn-model", "No churn model",
                "No churn model is active: train one (POST /v1/models/churn/train) or upload one")));
    }
}
