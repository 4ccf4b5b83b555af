package io.ulm.segment;

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

/**
 * Segment evaluation on demand (admin). Its own resource under /v1/admin/segments: a request path is matched
 * against the longest class path first, so it must not sit under another class's /v1 beside /v1/admin.
 */
@Path("/v1/admin/segments")
@Tag(name = "Admin", description = "Operations (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentAdminResource {

    private static final String PROBLEM = "application/problem+json";

    private final SegmentEvaluator evaluator;

    SegmentAdminResource(SegmentEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @POST
    @Path("/evaluate")
    @Blocking
    @Operation(summary = "Evaluate every segment now, at the current watermark", description = "Waits for an evaluation running on "
            + "any node, then computes RFM, rule and cluster segments (clusters re-run) and emits UserEnteredSegment/UserLeftSegment "
            + "for the changes only. The same watermark and data emit nothing the second time.")
    @APIResponse(responseCode = "200", description = "What the evaluation did", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "online-retail", value = SegmentExamples.EVALUATION)))
    @APIResponse(responseCode = "422", description = "A segment definition is invalid", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "bad definition", value = SegmentExamples.BAD_DEFINITION)))
    public SegmentEvaluator.Result evaluate() {
        try {
            return evaluator.evaluate(true);
        } catch (DefinitionException e) {
            throw new ProblemException(Problem.of(422, "invalid-segment-definition", "Invalid segment definition", e.getMessage())
                    .with("file", e.file()).with("line", e.line()).with("column", e.column()).with("problem", e.problem()));
        } catch (SegmentEvaluator.ProjectionsBehind e) {
            throw new ProblemException(Problem.of(503, "projections-behind", "Projections behind", e.getMessage()));
        }
    }

}
