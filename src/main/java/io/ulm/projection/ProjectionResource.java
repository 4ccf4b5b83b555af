package io.ulm.projection;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators' view of the projections: position and lag of every processor, over all nodes. */
@Path("/v1/admin/projections")
@Tag(name = "Admin", description = "Operations (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionResource {

    private final ProjectionProgress progress;

    ProjectionResource(ProjectionProgress progress) {
        this.progress = progress;
    }

    @GET
    @Blocking
    @APIResponse(responseCode = "200", description = "Progress of every projection", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "caught up", value = "{\"head\":120433,\"processors\":{\"user-profile\":"
                    + "{\"name\":\"user-profile\",\"segments\":2,\"position\":120433,\"lag\":0}}}")))
    @Operation(summary = "Projection progress", description = "The event log's head and, per processor, the lowest segment position and the lag in events.")
    public ProjectionProgress.Status status() {
        return progress.status();
    }
}
