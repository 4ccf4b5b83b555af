package io.ulm.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** The model registry over HTTP (docs/models.md): list, upload a model built elsewhere, activate, read an evaluation. */
@Path("/v1/models")
@Tag(name = "Models", description = "Registry of the ONNX models ULM serves (read: role read; change: role admin)")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** Uploads larger than this are refused (a 100k-item factorisation model is ~40 MB). */
    private static final long MAX_UPLOAD = 512L * 1024 * 1024;

    private final ModelRegistry registry;
    private final OnnxModels models;
    private final ModelTraining training;

    ModelResource(ModelRegistry registry, OnnxModels models, ModelTraining training) {
        this.registry = registry;
        this.models = models;
        this.training = training;
    }

    @POST
    @Path("/{kind}/train")
    @Blocking
    @RolesAllowed("admin")
    @APIResponse(responseCode = "202", description = "Started: follow the Location", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "started", value = ModelExamples.TRAINING)))
    @Operation(summary = "Train a kind's models from the event log", description = "Asynchronous (202): follow the run at the returned "
            + "location. Every model trained is registered with its evaluation; the one that validates best becomes active.")
    public jakarta.ws.rs.core.Response train(@PathParam("kind") String kindKey) {
        ModelTraining.Run run = training.start(kind(kindKey));
        return jakarta.ws.rs.core.Response.accepted(run).location(java.net.URI.create("/v1/models/training/" + run.id())).build();
    }

    @GET
    @Path("/training/{id}")
    @Blocking
    @RolesAllowed({"read", "admin"})
    @APIResponse(responseCode = "200", description = "The run", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "run", value = ModelExamples.TRAINING)))
    @Operation(summary = "A training run", description = "State (RUNNING, DONE, FAILED, CANCELLED), current step, progress from 0 to 1, "
            + "the model it served, when its cancellation was requested.")
    public ModelTraining.Run training(@PathParam("id") long id) {
        return training.run(id).orElseThrow(() -> ModelTraining.unknown(id));
    }

    @POST
    @Path("/training/{id}/cancel")
    @Blocking
    @RolesAllowed("admin")
    @APIResponse(responseCode = "202", description = "Cancellation requested: the run stops at its next step or epoch and ends CANCELLED",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "cancelling", value = ModelExamples.CANCELLING)))
    @Operation(summary = "Cancel a training run", description = "Any node takes the request; the node running the training stops at the "
            + "trainer's next step or epoch, registers nothing and leaves the served model as it was. 409 when the run has ended.")
    public jakarta.ws.rs.core.Response cancel(@PathParam("id") long id) {
        return jakarta.ws.rs.core.Response.accepted(training.cancel(id)).build();
    }

    private static ModelKind kind(String key) {
        return ModelKind.of(key).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-model-kind", "Unknown model kind",
                "Model kinds are recommender, churn and sequential, not '" + key + "'").with("kind", key)));
    }

    @GET
    @Blocking
    @RolesAllowed({"read", "admin"})
    @APIResponse(responseCode = "200", description = "The registry", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "models", value = ModelExamples.MODELS)))
    @Operation(summary = "Every registered model", description = "Id, kind, name, version, creation time, training watermark, metrics, sha256 of the ONNX file, active flag.")
    public Map<String, List<ModelRegistry.ModelInfo>> list() {
        return Map.of("models", registry.list());
    }

    @GET
    @Path("/{id}/evaluation")
    @Blocking
    @RolesAllowed({"read", "admin"})
    @APIResponse(responseCode = "200", description = "Its evaluation", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "evaluation", value = ModelExamples.EVALUATION)))
    @Operation(summary = "How a model was evaluated", description = "Its metrics beside the baselines measured on the same split (docs/evaluation.md).")
    public Map<String, Object> evaluation(@PathParam("id") long id) {
        ModelRegistry.ModelInfo m = registry.info(id).orElseThrow(() -> unknown(id));
        return Map.of("modelId", m.id(), "kind", m.kind(), "name", m.name(), "version", m.version(), "evaluation", m.metrics());
    }

    @POST
    @Path("/{id}/activate")
    @Blocking
    @RolesAllowed("admin")
    @APIResponse(responseCode = "200", description = "The model, now active", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "activated", value = ModelExamples.MODEL)))
    @Operation(summary = "Serve this model", description = "It becomes its kind's active model; this node swaps at once, the others within ulm.models.refresh-every, without dropping requests.")
    public ModelRegistry.ModelInfo activate(@PathParam("id") long id) {
        ModelRegistry.ModelInfo m = registry.activate(id).orElseThrow(() -> unknown(id));
        models.refresh();
        return m;
    }

    @POST
    @Path("/{kind}")
    @Blocking
    @RolesAllowed("admin")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @APIResponse(responseCode = "200", description = "Registered", content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "registered", value = ModelExamples.MODEL)))
    @APIResponse(responseCode = "422", description = "The graph breaks its kind's contract", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "contract", value = ModelExamples.CONTRACT)))
    @Operation(summary = "Register a model built elsewhere", description = "Form fields: model (the ONNX file), mapping (JSON: users and items "
            + "for a recommender, features for churn), name (optional), activate (optional, true/false). The graph is loaded and checked "
            + "against the kind's ONNX contract (docs/models.md) with a probe inference; a graph that does not conform is refused with every reason.")
    public ModelRegistry.ModelInfo upload(@PathParam("kind") String kindKey, @RestForm("model") FileUpload file,
                                          @RestForm("mapping") String mappingText, @RestForm("name") String name,
                                          @RestForm("activate") String activate) throws IOException {
        ModelKind kind = kind(kindKey);
        if (file == null || file.size() == 0) {
            throw invalid("model", "the form field 'model' must carry the ONNX file");
        }
        if (file.size() > MAX_UPLOAD) {
            throw new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                    "The ONNX file has " + file.size() + " bytes; at most " + MAX_UPLOAD + " are accepted").with("field", "model"));
        }
        JsonNode mapping = mapping(mappingText);
        byte[] onnx = Files.readAllBytes(file.uploadedFile());
        List<String> problems = check(kind, onnx, mapping);
        if (!problems.isEmpty()) {
            throw new ProblemException(Problem.of(422, "model-contract", "The model does not meet its contract",
                    String.join("; ", problems)).with("kind", kind.key()).with("violations", problems));
        }
        ModelRegistry.ModelInfo m = registry.register(kind, name == null || name.isBlank() ? "upload" : name.trim(), onnx, mapping,
                Json.mapper().createObjectNode().put("source", "upload"), null, "true".equalsIgnoreCase(activate));
        models.refresh();
        return m;
    }

    static List<String> check(ModelKind kind, byte[] onnx, JsonNode mapping) {
        try (OrtSession session = OnnxModels.open(onnx)) {
            return ModelContract.violations(kind, session, mapping);
        } catch (OrtException e) {
            return List.of("ONNX Runtime cannot load the file: " + e.getMessage());
        }
    }

    private static JsonNode mapping(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("mapping", "the form field 'mapping' must carry the id mapping as JSON");
        }
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (!node.isObject()) {
                throw invalid("mapping", "the mapping must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw invalid("mapping", "the mapping is not valid JSON: " + e.getMessage());
        }
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of(400, "invalid-model", "Invalid model upload", detail).with("field", field));
    }

    private static ProblemException unknown(long id) {
        return new ProblemException(Problem.of(404, "unknown-model", "Unknown model", "No model with id " + id).with("modelId", id));
    }
}
