package io.ulm.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ulm.platform.Json;
import io.ulm.platform.UlmConfig;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Segment HTTP Tracking API: an existing Segment or RudderStack SDK pointed at ULM works
 * unchanged. Endpoints are non-blocking; the transactional work runs on a worker thread.
 */
@Path("/v1")
@Tag(name = "Ingest", description = "Segment-compatible tracking API (role: ingest)")
@RolesAllowed("ingest")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class IngestResource {

    /** Request bodies: one JSON value and nothing after it. */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = Json.mapper().copy()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final IngestService ingest;
    private final IngestMetrics metrics;
    private final int maxRequestBytes;

    IngestResource(IngestService ingest, IngestMetrics metrics, UlmConfig config) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.maxRequestBytes = config.ingest().maxRequestBytes();
    }

    @POST
    @Path("/batch")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "batch", value = ApiExamples.BATCH)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Send several messages", description = "Each message is validated on its own: valid ones are stored even when others are rejected (400 lists them).")
    public Uni<Response> batch(byte[] body) {
        return onWorker(() -> {
            JsonNode root = parse(body);
            if (!root.isObject()) {
                metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.NOT_AN_OBJECT);
                throw invalid("", "the body must be an object with a 'batch' array of messages");
            }
            List<MessageError> envelopeErrors = EventContract.validate("segment/batch.schema.json", root).stream()
                    .map(v -> new MessageError(null, v.pointer(), v.message())).toList();
            if (!envelopeErrors.isEmpty()) {
                // the envelope applies to every message: when it is wrong, none is stored
                metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.SCHEMA);
                throw new ProblemException(Problem.of(400, "invalid-messages", "Invalid batch", envelopeErrors.get(0).detail())
                        .with("errors", envelopeErrors));
            }
            ObjectNode context = root.path("context").isObject() ? (ObjectNode) root.get("context") : null;
            MessageParser.Envelope envelope = new MessageParser.Envelope(context, root.get("sentAt"));
            List<JsonNode> messages = new ArrayList<>();
            root.get("batch").forEach(messages::add);
            return respond(ingest.ingest(messages, envelope, "/batch", Instant.now(), IngestService.Mode.LIVE), "/v1/batch");
        });
    }

    @POST
    @Path("/track")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "track", value = ApiExamples.TRACK)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Record something the user did")
    public Uni<Response> track(byte[] body) {
        return single(body, "track");
    }

    @POST
    @Path("/identify")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "identify", value = ApiExamples.IDENTIFY)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Say who the user is (traits; links an anonymousId)")
    public Uni<Response> identify(byte[] body) {
        return single(body, "identify");
    }

    @POST
    @Path("/page")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "page", value = ApiExamples.PAGE)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Record a page view")
    public Uni<Response> page(byte[] body) {
        return single(body, "page");
    }

    @POST
    @Path("/screen")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "screen", value = ApiExamples.SCREEN)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Record an app screen view")
    public Uni<Response> screen(byte[] body) {
        return single(body, "screen");
    }

    @POST
    @Path("/alias")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "alias", value = ApiExamples.ALIAS)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Link a previous id to a user")
    public Uni<Response> alias(byte[] body) {
        return single(body, "alias");
    }

    @POST
    @Path("/group")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "group", value = ApiExamples.GROUP)))
    @APIResponse(responseCode = "200", description = "Stored (duplicates counted, not stored again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ApiExamples.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid messages (the valid ones of a batch are stored)",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = ApiExamples.INVALID)))
    @Operation(summary = "Associate the user with a group (account)")
    public Uni<Response> group(byte[] body) {
        return single(body, "group");
    }

    /** The single-message endpoints imply the type, as Segment's do; a conflicting type is an error. */
    private Uni<Response> single(byte[] body, String type) {
        return onWorker(() -> {
            JsonNode message = parse(body);
            if (message.isObject()) {
                JsonNode declared = message.get("type");
                if (declared != null && !declared.isNull() && !type.equals(declared.asText())) {
                    metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.TYPE);
                    throw invalid("/type", "this endpoint takes " + type + " messages, the body says " + declared);
                }
                ((ObjectNode) message).put("type", type);
            }
            return respond(ingest.ingest(List.of(message), MessageParser.Envelope.NONE, null, Instant.now(), IngestService.Mode.LIVE),
                    "/v1/" + type);
        });
    }

    private Uni<Response> onWorker(java.util.function.Supplier<Response> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private JsonNode parse(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.MALFORMED_JSON);
            throw malformed("the request body is empty");
        }
        if (body.length > maxRequestBytes) {
            metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.TOO_LARGE);
            throw new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                    "the request is " + body.length + " bytes; the limit is " + maxRequestBytes));
        }
        try {
            return STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            metrics.rejected(IngestService.Mode.LIVE, MessageError.Reason.MALFORMED_JSON);
            throw malformed("the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", detail)
                .with("errors", List.of(new MessageError(null, "", detail, MessageError.Reason.MALFORMED_JSON))));
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.of(400, "invalid-messages", "Invalid message", detail)
                .with("errors", List.of(new MessageError(null, pointer, detail))));
    }

    static Response respond(IngestService.Outcome outcome, String path) {
        if (outcome.errors().isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", true);
            body.put("accepted", outcome.accepted());
            body.put("duplicates", outcome.duplicates());
            return Response.ok(body).build();
        }
        int rejected = outcome.received() - outcome.accepted() - outcome.duplicates();
        boolean tooLarge = outcome.received() == 1 && outcome.errors().get(0).tooLarge();
        Problem problem = Problem.of(tooLarge ? 413 : 400, tooLarge ? "payload-too-large" : "invalid-messages",
                        rejected == outcome.received() ? "Invalid message" : "Some messages are invalid",
                        rejected + " of " + outcome.received() + " messages rejected; " + outcome.accepted()
                                + " stored, " + outcome.duplicates() + " duplicates")
                .with("accepted", outcome.accepted())
                .with("duplicates", outcome.duplicates())
                .with("rejected", rejected)
                .with("errors", outcome.errors());
        return problem.at(path).toResponse();
    }
}
