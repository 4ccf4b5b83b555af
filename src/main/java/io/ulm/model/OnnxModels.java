package io.ulm.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnx.proto.OnnxMl;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.ulm.model.onnx.ScoresGraph;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ONNX Runtime sessions of the active models, one per kind, created at startup (never on the event loop)
 * and swapped without dropping requests when another model is activated here or on another node: the new
 * session is built first, then published; the old one is closed later, when requests still using it are done.
 */
@ApplicationScoped
public class OnnxModels {

    private static final Logger LOG = Logger.getLogger(OnnxModels.class);

    private final ModelRegistry registry;
    private final ModelConfig config;
    private final ModelMetrics metrics;
    private final Map<ModelKind, AtomicReference<ServedModel>> served = new EnumMap<>(ModelKind.class);
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ulm-onnx-closer"));
    private volatile Boolean cuda;

    OnnxModels(ModelRegistry registry, ModelConfig config, ModelMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        for (ModelKind kind : ModelKind.values()) {
            served.put(kind, new AtomicReference<>());
        }
    }

    void start(@Observes @Priority(20) StartupEvent event) {
        refresh();
    }

    void stop(@Observes ShutdownEvent event) {
        closer.shutdownNow();
        served.values().forEach(ref -> Optional.ofNullable(ref.getAndSet(null)).ifPresent(ServedModel::close));
    }

    /** The active model of a kind, if any. */
    public Optional<ServedModel> active(ModelKind kind) {
        return Optional.ofNullable(served.get(kind).get());
    }

    /** Loads the registry's active models that differ from the ones served (also after an activation here). */
    @Scheduled(every = "${ulm.models.refresh-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "${ulm.models.refresh-every}")
    public synchronized void refresh() {
        Map<ModelKind, Long> active = registry.activeIds();
        for (ModelKind kind : ModelKind.values()) {
            ServedModel current = served.get(kind).get();
            Long wanted = active.get(kind);
            if (!Objects.equals(wanted, current == null ? null : current.info().id())) {
                swap(kind, wanted == null ? null : load(wanted));
            }
        }
        prepareBlend();
    }

    /**
     * When the active sequential model carries a tuned blend (docs/sequential.md "Serving and policy"), attaches to
     * both blended models, once each, the scores session derived from their graph ({@link ScoresGraph}: no final
     * TopK), so the blend reads every item's score unsorted. Only then: a scores session holds a second copy of the
     * model's weights. Until it is attached (or when a graph does not fit) the blend asks the graph for k = all items.
     */
    private void prepareBlend() {
        ServedModel factorisation = served.get(ModelKind.RECOMMENDER).get();
        ServedModel sequential = served.get(ModelKind.SEQUENTIAL).get();
        if (factorisation == null || sequential == null || !sequential.mapping().has("blend")) {
            return;
        }
        for (ServedModel model : java.util.List.of(factorisation, sequential)) {
            if (!model.scoresPrepared()) {
                attachScores(model);
            }
        }
    }

    private void attachScores(ServedModel model) {
        long id = model.info().id();
        OrtSession session = null;
        try {
            ScoresGraph.Derivation derived = ScoresGraph.derive(OnnxMl.ModelProto.parseFrom(registry.load(id).orElseThrow().onnx()));
            if (derived.model().isPresent()) {
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                provider(options);
                session = OrtEnvironment.getEnvironment().createSession(derived.model().get().toByteArray(), options);
                LOG.infof("Model %d: scores session derived for the blend (output '%s', no TopK)", id, derived.output());
            } else {
                LOG.infof("Model %d has no scores graph (%s): the blend asks it for all items (k = all)", id, derived.reason());
            }
        } catch (Exception | LinkageError e) {
            LOG.warnf("Model %d: could not derive its scores session (%s): the blend asks it for all items (k = all)", id, e.toString());
        }
        try {
            model.attachScores(session);
        } catch (OrtException e) {
            // the model was closed meanwhile: the session is closed with it
        }
    }

    private void swap(ModelKind kind, ServedModel next) {
        ServedModel previous = served.get(kind).getAndSet(next);
        metrics.serving(kind, next);
        if (next != null) {
            LOG.infof("Serving %s model %d (%s v%d) on %s", kind.key(), next.info().id(), next.info().name(), next.info().version(), next.provider());
        }
        if (previous != null) {
            closer.schedule(previous::close, config.closeReplacedAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private ServedModel load(long id) {
        ModelRegistry.StoredModel stored = registry.load(id).orElseThrow();
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            String provider = provider(options);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(stored.onnx(), options);
            return new ServedModel(stored.info(), session, stored.mapping(), provider, metrics.inference(stored.info().kind(), provider));
        } catch (OrtException e) {
            throw new IllegalStateException("Could not load model " + id + " into ONNX Runtime", e);
        }
    }

    /** Opens a session for validation (CPU; the caller closes it). */
    public static OrtSession open(byte[] onnx) throws OrtException {
        return OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions());
    }

    /** Adds the CUDA provider when configured and present; otherwise CPU, saying why once. */
    private String provider(OrtSession.SessionOptions options) {
        if (!"cuda".equalsIgnoreCase(config.executionProvider())) {
            return "CPU";
        }
        try {
            options.addCUDA(new OrtCUDAProviderOptions(config.cudaDevice()));
            if (cuda == null) {
                cuda = true;
                LOG.infof("ONNX Runtime: CUDA execution provider on device %d", config.cudaDevice());
            }
            return "CUDA";
        } catch (OrtException | RuntimeException | LinkageError e) {
            if (cuda == null) {
                cuda = false;
                LOG.warnf("ONNX Runtime: ulm.models.execution-provider=cuda but the CUDA provider is not available (%s; it needs the "
                        + "onnxruntime_gpu build, -Pgpu, and CUDA 12): serving on CPU", e.getMessage());
            }
            return "CPU";
        }
    }
}
