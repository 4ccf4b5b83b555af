package io.ulm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.ulm.catalogue.CatalogueExamples.*;

/** The item catalogue over HTTP (docs/catalogue.md): define items one by one, in bulk or from a data set; read one. */
@Path("/v1/items")
@Tag(name = "Catalogue", description = "Items with categories and properties (define: role admin; read: role read)")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogueResource {

    private static final String PROBLEM = "application/problem+json";

    private final Catalogue catalogue;
    private final CatalogueImports imports;
    private final CatalogueReads reads;

    CatalogueResource(Catalogue catalogue, CatalogueImports imports, CatalogueReads reads) {
        this.catalogue = catalogue;
        this.imports = imports;
        this.reads = reads;
    }

    @PUT
    @Path("/{id}")
    @Blocking
    @RolesAllowed("admin")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "item", value = DEFINITION)))
    @APIResponse(responseCode = "200", description = "The definition as stored; changed = false when it was already the item's",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "defined", value = DEFINED)))
    @APIResponse(responseCode = "400", description = "An invalid definition (each error names its field and JSON Pointer)",
            content = @Content(mediaType = PROBLEM, examples = @ExampleObject(name = "invalid", value = INVALID_ITEM)))
    @Operation(summary = "Define an item", description = "Creates or replaces the item's definition as a whole (title, description, "
            + "categories, properties; all optional). Recorded as an ItemCatalogued event; an identical definition records nothing.")
    public Map<String, Object> define(@PathParam("id") String id, byte[] body) {
        String badId = ItemDefinitions.checkId(id);
        if (badId != null) {
            throw invalid(new ItemError(null, "id", "", badId));
        }
        JsonNode json = readJson(body);
        ItemDefinitions.Parsed parsed = ItemDefinitions.parse(json, id, null, "");
        if (!parsed.valid()) {
            throw invalid(parsed.errors().toArray(ItemError[]::new));
        }
        ItemDefinition item = parsed.item();
        boolean changed = catalogue.define(item);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("itemId", item.itemId());
        answer.put("title", item.title());
        answer.put("description", item.description());
        answer.put("categories", item.categories());
        answer.put("properties", item.properties());
        answer.put("changed", changed);
        return answer;
    }

    @POST
    @Blocking
    @RolesAllowed("admin")
    @Consumes({"application/x-ndjson", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @RequestBody(content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "array", value = BULK_ARRAY)),
            @Content(mediaType = "application/x-ndjson", examples = @ExampleObject(name = "ndjson", value = BULK_NDJSON))})
    @APIResponse(responseCode = "200", description = "Every item defined (or already so)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "done", value = BULK_DONE)))
    @APIResponse(responseCode = "400", description = "Some items are invalid: the valid ones are defined, the others listed",
            content = @Content(mediaType = PROBLEM, examples = @ExampleObject(name = "invalid", value = BULK_INVALID)))
    @Operation(summary = "Define many items", description = "A JSON array of definitions, or NDJSON (one per line), each with its id. "
            + "Valid items are defined even when others are invalid; errors carry the index (array position or line number) and "
            + "the field's JSON Pointer. Committed in chunks of 500 items; re-sending is safe.")
    public Response bulk(byte[] body, @HeaderParam("Content-Type") String contentType) {
        ItemFile file = BulkItems.parse(body, contentType);
        return answer(catalogue.define(file.items(), file.errors()));
    }

    @POST
    @Path("/import")
    @Blocking
    @RolesAllowed("admin")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, "application/gzip"})
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "movies.csv", value = MOVIES_CSV)))
    @APIResponse(responseCode = "200", description = "The import's summary (rows that could not be read are listed in errors)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "summary", value = IMPORTED)))
    @Operation(summary = "Import the items of a data set", description = "source=movielens: movies.csv (genres become categories); "
            + "source=online-retail: the transactions CSV, one item per StockCode with a category from "
            + "projections/item-categories/online-retail.yaml. Plain or gzip body.")
    public Catalogue.Outcome importItems(@Parameter(description = "movielens or online-retail", example = "movielens")
                                         @QueryParam("source") String source, InputStream body) throws IOException {
        CatalogueImports.Source dataset = source == null ? null : CatalogueImports.Source.of(source);
        if (dataset == null) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter",
                    "source must be one of " + CatalogueImports.Source.keys() + ", not '" + source + "'").with("parameter", "source"));
        }
        try {
            return imports.run(dataset, body);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ProblemException(Problem.of(400, "invalid-file", "Invalid file", e.getMessage()));
        }
    }

    @GET
    @Path("/{id}")
    @Blocking
    @RolesAllowed({"read", "admin"})
    @APIResponse(responseCode = "200", description = "The item", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {@ExampleObject(name = "defined", value = ITEM), @ExampleObject(name = "seen in an event", value = SEEN_ITEM)}))
    @APIResponse(responseCode = "404", description = "No such item", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "unknown", value = UNKNOWN_ITEM)))
    @Operation(summary = "An item of the catalogue", description = "As defined (source catalogue) or as first seen in a behaviour "
            + "event (source seen: no categories, title from the event's product name). Read model: eventually consistent.")
    public CatalogueReads.ItemView item(@PathParam("id") String id) {
        return reads.item(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-item", "Unknown item",
                "No item with id '" + id + "' is in the catalogue").with("itemId", id)));
    }

    private static JsonNode readJson(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : Json.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw BulkItems.malformed("the body must be one JSON object");
            }
            return node;
        } catch (IOException e) {
            throw BulkItems.malformed("the body is not valid JSON: " + e.getMessage());
        }
    }

    private static ProblemException invalid(ItemError... errors) {
        return new ProblemException(Problem.of(400, "invalid-item", "Invalid item", errors[0].detail())
                .with("field", errors[0].field()).with("errors", java.util.List.of(errors)));
    }

    private static Response answer(Catalogue.Outcome outcome) {
        if (outcome.errors().isEmpty()) {
            return Response.ok(outcome).build();
        }
        Problem problem = Problem.of(400, "invalid-items", outcome.rejected() == outcome.received() ? "Invalid items" : "Some items are invalid",
                        outcome.rejected() + " of " + outcome.received() + " items rejected; " + outcome.defined() + " defined, "
                                + outcome.unchanged() + " unchanged")
                .with("received", outcome.received()).with("defined", outcome.defined()).with("unchanged", outcome.unchanged())
                .with("rejected", outcome.rejected()).with("errors", outcome.errors());
        return problem.at("/v1/items").toResponse();
    }
}
