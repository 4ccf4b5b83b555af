package io.ulm.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.Optional;

/**
 * Readiness: every kind that has an active model in the registry is served by this node (its ONNX Runtime session
 * loaded). A kind with no model trained yet is fine (recommendations fall back to popularity, churn scoring waits), so
 * a fresh installation is ready. A node still serving the previous version after an activation elsewhere is ready
 * too: it swaps within {@code ulm.models.refresh-every}, and making every node unready at each activation would empty
 * the Service. Unready means the node could not load the active model at all (data says which and why to look at).
 */
@Readiness
@ApplicationScoped
public class ModelsReadiness implements HealthCheck {

    public static final String NAME = "Active models loaded";

    private final ModelRegistry registry;
    private final OnnxModels models;

    ModelsReadiness(ModelRegistry registry, OnnxModels models) {
        this.registry = registry;
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        boolean up = true;
        Map<ModelKind, Long> active = registry.activeIds();
        for (ModelKind kind : ModelKind.values()) {
            Long wanted = active.get(kind);
            Optional<ServedModel> served = models.active(kind);
            if (wanted == null) {
                response.withData(kind.key(), served.map(ModelsReadiness::describe).orElse("none trained yet"));
            } else if (served.isEmpty()) {
                up = false;
                response.withData(kind.key(), "model " + wanted + " is active but not loaded on this node (see the log)");
            } else {
                String pending = served.get().info().id() == wanted ? "" : " (model " + wanted + " activated, swapping)";
                response.withData(kind.key(), describe(served.get()) + pending);
            }
        }
        return response.status(up).build();
    }

    private static String describe(ServedModel m) {
        return "model " + m.info().id() + " (" + m.info().name() + " v" + m.info().version() + ") on " + m.provider();
    }
}
