package io.ulm.privacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
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

/** {@code GET /v1/users/{id}/export}: everything ULM holds about a user, personal values decrypted (docs/privacy.md). */
@Path("/v1/users/{id}/export")
@Tag(name = "Privacy", description = "Erasure and data export (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    private final DataExport export;

    ExportResource(DataExport export) {
        this.export = export;
    }

    @GET
    @Blocking
    @APIResponse(responseCode = "200", description = "Everything about her", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "export", value = PrivacyExamples.EXPORT)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown", value = PrivacyExamples.UNKNOWN)))
    @Operation(summary = "Export a user's data", description = "Her profile with decrypted traits, linked ids, segments, features, churn "
            + "score, win-back episodes and the actions sent to her, her whole timeline (every event with the reasons of each stage "
            + "transition, personal values decrypted), and her raw rows in every store ULM keeps about a user. The id resolves as for "
            + "GET /v1/users/{id}.")
    public ObjectNode export(@PathParam("id") String id) {
        return export.export(id).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-user", "Unknown user", "No user with id '" + id + "' has sent any message").with("userId", id)));
    }
}
