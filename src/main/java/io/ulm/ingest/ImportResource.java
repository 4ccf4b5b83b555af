package io.ulm.ingest;

import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;

/**
 * History imports over HTTP (role admin): the body is streamed, recorded in chunks, and decided in
 * event time when the import ends. The answer is the import's summary.
 */
@Path("/v1/import")
@Tag(name = "Import", description = "Import history in event time (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    private final Imports imports;

    ImportResource(Imports imports) {
        this.imports = imports;
    }

    @POST
    @Blocking
    @RequestBody(content = @Content(mediaType = "application/x-ndjson", examples = @ExampleObject(name = "ndjson", value = ApiExamples.NDJSON)))
    @APIResponse(responseCode = "200", description = "The import's summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "summary", value = ApiExamples.IMPORTED)))
    @Consumes({"application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Import NDJSON", description = "One Segment message per line (any type). Stages are decided in event time when the import ends.")
    public ImportService.Result ndjson(InputStream body) throws IOException {
        return imports.ndjson(body, "http:ndjson", null);
    }

    @POST
    @Path("/csv")
    @Blocking
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "online-retail",
            value = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom")))
    @APIResponse(responseCode = "200", description = "The import's summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "summary", value = ApiExamples.IMPORTED)))
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Import CSV with a built-in column mapping", description = "mapping: online-retail or movielens (see events/imports/).")
    public ImportService.Result csv(@QueryParam("mapping") String mapping, InputStream body) throws IOException {
        if (mapping == null || mapping.isBlank()) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Missing mapping", "the query parameter 'mapping' is required")
                    .with("parameter", "mapping"));
        }
        CsvMapping declared;
        try {
            // over HTTP only the built-in mappings: a path would let a client read files of the server
            declared = mapping.contains("/") ? null : CsvMapping.load(mapping);
        } catch (IllegalArgumentException e) {
            declared = null;
        }
        if (declared == null) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Unknown mapping",
                    "no built-in import mapping '" + mapping + "' (online-retail, movielens)").with("parameter", "mapping"));
        }
        return imports.csv(body, declared, "http:csv:" + mapping, null);
    }
}
