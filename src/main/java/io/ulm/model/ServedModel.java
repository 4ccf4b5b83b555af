package io.ulm.model;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model loaded for serving: its registry entry, its ONNX Runtime session, and the id mapping turned into lookups
 * (user and item ids to the graph's indexes and back, or the churn graph's feature names in order).
 */
public final class ServedModel implements AutoCloseable {

    private final ModelRegistry.ModelInfo info;
    private final OrtSession session;
    private final String provider;
    private final List<String> items;
    private final Map<String, Integer> itemIndex;
    private final Map<String, Integer> userIndex;
    private final List<String> features;
    private final JsonNode mapping;
    private final ModelMetrics.Inference inference;
    private final int historyLength;
    /** The derived scores session (no final TopK; {@link OnnxModels} attaches it when a blend may need it), or null. */
    private volatile OrtSession scores;
    private boolean scoresPrepared;
    private boolean closed;

    ServedModel(ModelRegistry.ModelInfo info, OrtSession session, JsonNode mapping, String provider, ModelMetrics.Inference inference) {
        this.info = info;
        this.inference = inference;
        this.session = session;
        this.provider = provider;
        this.items = ids(mapping, "items");
        this.itemIndex = index(items);
        this.userIndex = index(ids(mapping, "users"));
        this.features = ids(mapping, "features");
        this.mapping = mapping;
        this.historyLength = historyLength(session);
    }

    /** How many recent items a sequential graph reads (its {@code history} input's length); 0 for other graphs. */
    public int historyLength() {
        return historyLength;
    }

    private static int historyLength(OrtSession session) {
        try {
            return (int) Math.max(0, ModelContract.historyLength(session));
        } catch (OrtException e) {
            return 0;
        }
    }

    /** The mapping as registered (a kind may keep more than ids there, e.g. the churn model's population fits). */
    public JsonNode mapping() {
        return mapping;
    }

    public ModelRegistry.ModelInfo info() {
        return info;
    }

    public OrtSession session() {
        return session;
    }

    /** Runs the graph on {@code rows} rows (users), timed: ulm_model_inference_seconds (docs/operations.md). */
    public OrtSession.Result run(Map<String, ? extends OnnxTensorLike> inputs, int rows) throws OrtException {
        return timed(session, inputs, rows);
    }

    /**
     * Whether every item's score can be read without the final TopK ({@link #runScores}): a scores session derived by
     * {@code onnx.ScoresGraph} is attached. Without one the caller asks the graph for all items (k = all) instead.
     */
    public boolean hasScores() {
        return scores != null;
    }

    /** The inputs the scores session reads (the graph's inputs but k), empty without one. */
    public java.util.Set<String> scoresInputs() {
        OrtSession s = scores;
        return s == null ? java.util.Set.of() : s.getInputNames();
    }

    /**
     * Runs the scores session on {@code rows} rows, timed with the graph's inference metric: its only output is the
     * masked scores of every item, FLOAT [rows, items] by item index.
     */
    public OrtSession.Result runScores(Map<String, ? extends OnnxTensorLike> inputs, int rows) throws OrtException {
        OrtSession s = scores;
        if (s == null) {
            throw new IllegalStateException("model " + info.id() + " has no scores session");
        }
        return timed(s, inputs, rows);
    }

    private OrtSession.Result timed(OrtSession s, Map<String, ? extends OnnxTensorLike> inputs, int rows) throws OrtException {
        long start = System.nanoTime();
        try {
            return s.run(inputs);
        } finally {
            inference.record(System.nanoTime() - start, rows);
        }
    }

    /** Whether {@link #attachScores} was called (with a session or without one: the graph does not fit). */
    synchronized boolean scoresPrepared() {
        return scoresPrepared;
    }

    /** Attaches the derived scores session, or records that there is none ({@code session} null); closed with the model. */
    synchronized void attachScores(OrtSession session) throws OrtException {
        if (closed) {
            if (session != null) {
                session.close();
            }
            return;
        }
        scoresPrepared = true;
        scores = session;
    }

    /** The execution provider the session runs on (CPU or CUDA). */
    public String provider() {
        return provider;
    }

    public List<String> items() {
        return items;
    }

    public Integer itemIndex(String itemId) {
        return itemIndex.get(itemId);
    }

    public Integer userIndex(String userId) {
        return userIndex.get(userId);
    }

    public List<String> features() {
        return features;
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            session.close();
            if (scores != null) {
                scores.close();
            }
        } catch (OrtException e) {
            // nothing left to release that the runtime could still use
        }
    }

    private static List<String> ids(JsonNode mapping, String field) {
        JsonNode array = mapping.path(field);
        List<String> ids = new ArrayList<>(array.size());
        array.forEach(n -> ids.add(n.asText()));
        return Collections.unmodifiableList(ids);
    }

    private static Map<String, Integer> index(List<String> ids) {
        Map<String, Integer> index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        return index;
    }
}
