package io.ulm.projection;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators' view of the projections: position and lag of every processor, over all nodes. */
@Path("/v1/admin")
@Tag(name = "Admin", description = "Operations (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionResource {

    private final ProjectionProgress progress;
    private final ProjectionReplays replays;
    private final ReplayAudit audit;

    ProjectionResource(ProjectionProgress progress, ProjectionReplays replays, ReplayAudit audit) {
        this.progress = progress;
        this.replays = replays;
        this.audit = audit;
    }

    @GET
    @Path("/projections/{name}")
    @Blocking
    @Operation(summary = "One projection's progress", description = "Position, lag and whether it is replaying; poll it during a replay.")
    @APIResponse(responseCode = "200", description = "Progress", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "replaying", value = "{\"name\":\"user-profile\",\"segments\":2,\"position\":52000,"
                    + "\"lag\":68433,\"replaying\":true}")))
    public ProjectionProgress.Processor projection(@PathParam("name") String name) {
        replays.projection(name);
        ProjectionProgress.Processor p = progress.status().processors().get(name);
        return p != null ? p : new ProjectionProgress.Processor(name, 0, -1, progress.status().head() + 1, false);
    }

    @POST
    @Path("/projections/{name}/replay")
    @Blocking
    @Operation(summary = "Rebuild one projection from the event log",
            description = "Empties its tables and replays every event into them (asynchronously; follow it with GET /v1/admin/projections/{name}). Decides and sends nothing.")
    @APIResponse(responseCode = "202", description = "Replay started", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "started", value = "{\"name\":\"user-profile\",\"segments\":2,\"position\":-1,"
                    + "\"lag\":120434,\"replaying\":true}")))
    public Response replay(@PathParam("name") String name) {
        replays.replay(name);
        return Response.accepted(projection(name)).build();
    }

    @POST
    @Path("/replay-audit")
    @Blocking
    @Operation(summary = "Rebuild every projection into shadow tables and compare with the live ones",
            description = "Row counts, checksums and example differences per table; expected: identical. Live processing continues.")
    @APIResponse(responseCode = "200", description = "The audit report", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "identical", value = "{\"identical\":true,\"seconds\":4.2,\"projections\":[{\"projection\":"
                    + "\"user-profile\",\"eventsReplayed\":53124,\"identical\":true,\"tables\":[{\"table\":\"user_profile\","
                    + "\"liveRows\":4372,\"shadowRows\":4372,\"liveChecksum\":\"9b1c…\",\"shadowChecksum\":\"9b1c…\","
                    + "\"identical\":true,\"onlyLive\":[],\"onlyShadow\":[]}]}]}")))
    public ReplayAudit.Report replayAudit() throws java.sql.SQLException {
        return audit.run();
    }

    @GET
    @Path("/projections")
    @Blocking
    @APIResponse(responseCode = "200", description = "Progress of every projection", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "caught up", value = "{\"head\":120433,\"processors\":{\"user-profile\":"
                    + "{\"name\":\"user-profile\",\"segments\":2,\"position\":120433,\"lag\":0,\"replaying\":false}}}")))
    @Operation(summary = "Projection progress", description = "The event log's head and, per processor, the lowest segment position and the lag in events.")
    public ProjectionProgress.Status status() {
        return progress.status();
    }
}
