package io.ulm.simulation;

import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/** {@code POST /v1/admin/simulations}: run the seeded simulator into this ULM or to files (docs/simulation.md). */
@jakarta.ws.rs.Path("/v1/admin/simulations")
@Tag(name = "Simulation", description = "A seeded behaviour simulator with known ground truth (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class SimulationResource {

    /** Simulations larger than this go through the command line (simulate) and an import. */
    static final int MAX_USERS = 1_000_000;
    static final int MAX_DAYS = 3_650;

    static final String RUN = """
            {"id": 1, "state": "RUNNING", "target": "ingest", "seed": 42, "users": 1000, "days": 90, "start": "2024-01-01T00:00:00Z",
             "messages": 12000, "directory": null, "error": null, "requestedAt": "2026-11-30T04:40:00Z", "finishedAt": null}""";

    private final SimulationRuns runs;

    SimulationResource(SimulationRuns runs) {
        this.runs = runs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "Started", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "started", value = RUN)))
    @Operation(summary = "Run a simulation", description = "Body (all optional): seed, users, days, start (RFC 3339), target ('ingest': "
            + "through this ULM's ingestion path, paced at rate messages/s, 0 = as fast as it goes; 'files': messages, items and "
            + "ground truth as NDJSON under data/simulations/<id>/), rate. Defaults: docs/simulation.md.")
    public Response start(SimulationRuns.Request request) {
        SimulationRuns.Request r = request == null ? new SimulationRuns.Request(null, null, null, null, null, null) : request;
        SimulationSettings d = SimulationSettings.defaults();
        int users = within("users", r.users() == null ? d.users() : r.users(), 1, MAX_USERS);
        int days = within("days", r.days() == null ? d.days() : r.days(), 1, MAX_DAYS);
        int rate = within("rate", r.rate() == null ? 0 : r.rate(), 0, 1_000_000);
        String target = r.target() == null ? "ingest" : r.target();
        if (!target.equals("ingest") && !target.equals("files")) {
            throw invalid("target", "target must be 'ingest' or 'files', not '" + target + "'");
        }
        SimulationSettings settings = d.withSeed(r.seed() == null ? d.seed() : r.seed()).withScale(users, days, days)
                .withStart(r.start() == null ? d.start() : r.start());
        SimulationRuns.Run run = runs.start(settings, target, rate);
        return Response.accepted(run).location(URI.create("/v1/admin/simulations/" + run.id())).build();
    }

    @GET
    @jakarta.ws.rs.Path("/{id}")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "run", value = RUN)))
    @Operation(summary = "A simulation run", description = "State (RUNNING, DONE, FAILED) and messages sent so far, on the node that runs it.")
    public SimulationRuns.Run run(@PathParam("id") long id) {
        return runs.run(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-simulation", "Unknown simulation",
                "No simulation " + id + " on this node").with("simulationId", id)));
    }

    private static int within(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(field, field + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of(400, "invalid-simulation", "Invalid simulation", detail).with("field", field));
    }
}
