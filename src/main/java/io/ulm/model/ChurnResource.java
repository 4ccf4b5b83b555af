package io.ulm.model;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ulm.audit.AuditLog;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /v1/users/{id}/churn-risk}: her churn risk now, by the active churn model (docs/models.md). */
@Path("/v1/users/{id}/churn-risk")
@Tag(name = "Churn", description = "Churn risk from the active ONNX churn model, P(alive), expected purchases and CLV (role: read)")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ChurnResource {

    private final ChurnScoring scoring;
    private final AuditLog log;

    ChurnResource(ChurnScoring scoring, AuditLog log) {
        this.scoring = scoring;
        this.log = log;
    }

    @GET
    @APIResponse(responseCode = "200", description = "Her churn risk", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "risk", value = ModelExamples.RISK)))
    @APIResponse(responseCode = "409", description = "No churn model is active", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "no model", value = ModelExamples.NO_MODEL)))
    @Operation(summary = "A user's churn risk", description = "Scored at the event-time watermark from her events: the model's probability of "
            + "no activity in the next horizon, BG/NBD P(alive) and expected purchases in the horizon, Gamma-Gamma CLV, and the features "
            + "that contribute most (occlusion against the population's medians).")
    public Uni<ChurnScoring.Risk> risk(@PathParam("id") String id) {
        return Uni.createFrom().item(() -> {
            String user = log.resolve(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                    "No user with id '" + id + "' has sent any message").with("userId", id)));
            ChurnScoring.Context ctx = scoring.context().orElseThrow(() -> new ProblemException(Problem.of(409, "no-churn-model",
                    "No churn model", "No churn model is active: train one (POST /v1/models/churn/train) or upload one")));
            return scoring.score(ctx, user).orElseThrow(() -> new ProblemException(Problem.of(404, "no-activity", "No activity to score",
                    "User '" + user + "' has no activity before the watermark").with("userId", user)));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
