package io.ulm.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ONNX contract of each model kind (docs/models.md): input and output names, element types and ranks, and
 * the id mapping the graph's indexes refer to. Any graph that meets it is served, whoever built it; a graph
 * that does not is refused with every reason, before it can be registered.
 */
public final class ModelContract {

    public static final String USER = "user";
    public static final String HISTORY = "history";
    public static final String SEEN_MASK = "seen_mask";
    public static final String K = "k";
    public static final String SCORES = "scores";
    public static final String ITEMS = "items";
    public static final String FEATURES = "features";
    public static final String PROBABILITY = "probability";
    public static final String PROBABILITIES = "probabilities";

    private ModelContract() {
    }

    /** Checks a loaded session and its mapping against the kind's contract; an empty list means it conforms. */
    public static List<String> violations(ModelKind kind, OrtSession session, JsonNode mapping) throws OrtException {
        List<String> problems = new ArrayList<>();
        Map<String, NodeInfo> in = session.getInputInfo();
        Map<String, NodeInfo> out = session.getOutputInfo();
        if (kind == ModelKind.RECOMMENDER) {
            expect(problems, "input", in, USER, OnnxJavaType.INT64, 1);
            expect(problems, "input", in, SEEN_MASK, OnnxJavaType.FLOAT, 2);
            expect(problems, "input", in, K, OnnxJavaType.INT64, 1);
            expect(problems, "output", out, SCORES, OnnxJavaType.FLOAT, 2);
            expect(problems, "output", out, ITEMS, OnnxJavaType.INT64, 2);
            int users = size(problems, mapping, "users");
            int items = size(problems, mapping, "items");
            if (problems.isEmpty() && users > 0 && items > 0) {
                probeRecommender(problems, session, items);
            }
        } else if (kind == ModelKind.SEQUENTIAL) {
            expect(problems, "input", in, HISTORY, OnnxJavaType.INT64, 2);
            expect(problems, "input", in, SEEN_MASK, OnnxJavaType.FLOAT, 2);
            expect(problems, "input", in, K, OnnxJavaType.INT64, 1);
            expect(problems, "output", out, SCORES, OnnxJavaType.FLOAT, 2);
            expect(problems, "output", out, ITEMS, OnnxJavaType.INT64, 2);
            int items = size(problems, mapping, "items");
            long length = problems.isEmpty() ? historyLength(session) : 0;
            if (problems.isEmpty() && length < 1) {
                problems.add("input '" + HISTORY + "' must have a fixed length (its second dimension), not " + length);
            }
            if (problems.isEmpty() && items > 0) {
                probeSequential(problems, session, items, (int) length);
            }
        } else {
            expect(problems, "input", in, FEATURES, OnnxJavaType.FLOAT, 2);
            if (!out.containsKey(PROBABILITY) && !out.containsKey(PROBABILITIES)) {
                problems.add("output '" + PROBABILITY + "' (FLOAT [N]) or '" + PROBABILITIES + "' (FLOAT [N, 2]) is missing; outputs are " + out.keySet());
            }
            int features = size(problems, mapping, "features");
            if (problems.isEmpty() && features > 0) {
                probeChurn(problems, session, features);
            }
        }
        return problems;
    }

    private static void expect(List<String> problems, String side, Map<String, NodeInfo> nodes, String name, OnnxJavaType type, int rank) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add(side + " '" + name + "' is missing; " + side + "s are " + nodes.keySet());
        } else if (!(node.getInfo() instanceof TensorInfo t) || t.type != type || t.getShape().length != rank) {
            problems.add(side + " '" + name + "' must be a " + type + " tensor of rank " + rank + ", not " + node.getInfo());
        }
    }

    private static int size(List<String> problems, JsonNode mapping, String field) {
        JsonNode ids = mapping == null ? null : mapping.get(field);
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            problems.add("mapping." + field + " must be a non-empty array of ids");
            return 0;
        }
        return ids.size();
    }

    /** Runs one user through the graph: the answer must be k items among the mapped ones. */
    private static void probeRecommender(List<String> problems, OrtSession session, int items) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor user = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{0}), new long[]{1});
             OnnxTensor mask = OnnxTensor.createTensor(env, FloatBuffer.allocate(items), new long[]{1, items});
             OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{1}), new long[]{1});
             OrtSession.Result r = session.run(Map.of(USER, user, SEEN_MASK, mask, K, k))) {
            long[][] top = (long[][]) r.get(ITEMS).orElseThrow().getValue();
            if (top.length != 1 || top[0].length != 1 || top[0][0] < 0 || top[0][0] >= items) {
                problems.add("a probe (user 0, k 1) must answer one item index in [0, " + items + "), got " + java.util.Arrays.deepToString(top));
            }
        } catch (OrtException | RuntimeException e) {
            problems.add("a probe (user 0, no seen items, k 1) failed: " + e.getMessage());
        }
    }

    /** The fixed number of recent items a sequential graph reads (the second dimension of its history input). */
    public static long historyLength(OrtSession session) throws OrtException {
        NodeInfo node = session.getInputInfo().get(HISTORY);
        return node != null && node.getInfo() instanceof TensorInfo t && t.getShape().length == 2 ? t.getShape()[1] : -1;
    }

    /** Runs one history holding only item 0 (the rest padding, -1) through the graph: one item among the mapped ones. */
    private static void probeSequential(List<String> problems, OrtSession session, int items, int length) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] history = new long[length];
        java.util.Arrays.fill(history, -1);
        history[length - 1] = 0;
        try (OnnxTensor h = OnnxTensor.createTensor(env, LongBuffer.wrap(history), new long[]{1, length});
             OnnxTensor mask = OnnxTensor.createTensor(env, FloatBuffer.allocate(items), new long[]{1, items});
             OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{1}), new long[]{1});
             OrtSession.Result r = session.run(Map.of(HISTORY, h, SEEN_MASK, mask, K, k))) {
            long[][] top = (long[][]) r.get(ITEMS).orElseThrow().getValue();
            if (top.length != 1 || top[0].length != 1 || top[0][0] < 0 || top[0][0] >= items) {
                problems.add("a probe (history [item 0], k 1) must answer one item index in [0, " + items + "), got " + java.util.Arrays.deepToString(top));
            }
        } catch (OrtException | RuntimeException e) {
            problems.add("a probe (history [item 0], no seen items, k 1) failed: " + e.getMessage());
        }
    }

    /** Scores one all-zero row: the answer must be one probability in [0, 1]. */
    private static void probeChurn(List<String> problems, OrtSession session, int features) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.allocate(features), new long[]{1, features});
             OrtSession.Result r = session.run(Map.of(FEATURES, x))) {
            double p = ChurnOutputs.probabilities(r)[0];
            if (!(p >= 0 && p <= 1)) {
                problems.add("a probe (one all-zero row) must answer a probability in [0, 1], got " + p);
            }
        } catch (OrtException | RuntimeException e) {
            problems.add("a probe (one all-zero row of " + features + " features) failed: " + e.getMessage());
        }
    }
}
