package io.ulm.model;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serving metrics (docs/operations.md): {@code ulm_model_inference_seconds{kind,provider}} (a histogram of each
 * ONNX Runtime call, so percentiles aggregate across nodes), {@code ulm_model_inference_rows{kind,provider}} (rows per
 * call: the micro-batch size) and {@code ulm_model_served{kind,provider,model_id,version}} = 1 for the model each kind
 * serves on this node and the execution provider it runs on (CPU or CUDA).
 */
@ApplicationScoped
public class ModelMetrics {

    /** The meters of one (kind, provider). */
    public record Inference(Timer latency, DistributionSummary rows) {

        public static final Inference NONE = new Inference(null, null);

        void record(long nanos, int n) {
            if (latency != null) {
                latency.record(nanos, TimeUnit.NANOSECONDS);
                rows.record(n);
            }
        }
    }

    private final MeterRegistry registry;
    private final MultiGauge served;
    private final Map<ModelKind, ServedModel> current = new EnumMap<>(ModelKind.class);

    ModelMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.served = MultiGauge.builder("ulm.model.served")
                .description("1 for the model each kind serves on this node, tagged with its execution provider")
                .register(registry);
    }

    Inference inference(String kind, String provider) {
        Tags tags = Tags.of("kind", kind, "provider", provider.toLowerCase(Locale.ROOT));
        return new Inference(
                Timer.builder("ulm.model.inference").description("ONNX Runtime session calls").tags(tags)
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry),
                DistributionSummary.builder("ulm.model.inference.rows").description("Rows (users) per ONNX Runtime call")
                        .tags(tags).register(registry));
    }

    /** The model a kind serves now (null: none). */
    synchronized void serving(ModelKind kind, ServedModel model) {
        if (model == null) {
            current.remove(kind);
        } else {
            current.put(kind, model);
        }
        List<MultiGauge.Row<?>> rows = current.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of(
                "kind", e.getKey().key(), "provider", e.getValue().provider().toLowerCase(Locale.ROOT),
                "model_id", Long.toString(e.getValue().info().id()), "version", Integer.toString(e.getValue().info().version())), 1))
                .toList();
        served.register(rows, true);
    }
}
