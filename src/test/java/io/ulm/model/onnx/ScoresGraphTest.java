package io.ulm.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ulm.model.recsys.Factors;
import io.ulm.model.sequential.SasRecSettings;
import io.ulm.model.sequential.SasRecWeights;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scores graph derived from each exporter's graph answers, for a few users, the full graph's TopK(k = all) scores
 * put back in item index order (within 1e-6), with k gone from its inputs; graphs whose outputs do not all come from
 * one final TopK are not derived (the server keeps the k = all path for them).
 */
class ScoresGraphTest {

    private static final int ITEMS = 500;
    private static final int USERS = 40;
    private static final double TOLERANCE = 1e-6;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void factorisationScoresEqualTheSortedAnswerByIndex() throws Exception {
        OnnxMl.ModelProto full = MfOnnxExporter.export(random(USERS, 8, 1), random(ITEMS, 8, 2), ids("u", USERS), ids("i", ITEMS));
        long[] users = {0, 7, 13, 39};
        float[] mask = mask(users.length, new Random(4));
        compare(full, "user", users, new long[]{users.length}, mask, users.length);
    }

    @Test
    void sasRecScoresEqualTheSortedAnswerByIndex() throws Exception {
        SasRecSettings settings = new SasRecSettings(2, 2, 16, 12, 0.2, 1, 1, 0.001, 32, 1, 1, 7);
        OnnxMl.ModelProto full = SasRecOnnxExporter.export(SasRecWeights.initial(settings, ITEMS), ids("i", ITEMS));
        Random random = new Random(6);
        int n = 5;
        long[] history = new long[n * settings.maxLength()];
        for (int i = 0; i < n; i++) {
            // from one known item (the rest padding, -1) to a full history
            int known = i == 0 ? 1 : 1 + random.nextInt(settings.maxLength());
            for (int t = 0; t < settings.maxLength(); t++) {
                history[i * settings.maxLength() + t] = t < settings.maxLength() - known ? -1 : random.nextInt(ITEMS);
            }
        }
        compare(full, "history", history, new long[]{n, settings.maxLength()}, mask(n, random), n);
    }

    @Test
    void aGraphWhoseOutputsDoNotAllComeFromOneTopKIsNotDerived() {
        // items pass through a Cast after the TopK: not a final TopK
        OnnxMl.GraphProto.Builder cast = scoring().addNode(node("TopK", List.of("masked", "k"), List.of("scores", "top")))
                .addNode(node("Cast", List.of("top"), List.of("items")).toBuilder().addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("to").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(7)));
        assertThat(reason(cast)).contains("output 'items' does not come from a TopK node").contains("Cast");
        // no TopK at all: scores and the argmax
        OnnxMl.GraphProto.Builder noTopK = scoring().addNode(node("Identity", List.of("masked"), List.of("scores")))
                .addNode(node("ArgMax", List.of("masked"), List.of("items")));
        assertThat(reason(noTopK)).contains("does not come from a TopK node");
        // two TopK nodes, one per output
        OnnxMl.GraphProto.Builder two = scoring().addNode(node("TopK", List.of("masked", "k"), List.of("scores", "unused")))
                .addNode(node("TopK", List.of("masked", "k"), List.of("unused2", "items")));
        assertThat(reason(two)).contains("more than one TopK");
    }

    @Test
    void identitiesBeforeTheOutputsAreFollowedAndTheRestIsPruned() {
        OnnxMl.GraphProto.Builder graph = scoring().addNode(node("TopK", List.of("masked", "k"), List.of("s", "i")))
                .addNode(node("Identity", List.of("s"), List.of("scores")))
                .addNode(node("Identity", List.of("i"), List.of("items")));
        ScoresGraph.Derivation derived = ScoresGraph.derive(model(graph));
        assertThat(derived.reason()).isNull();
        OnnxMl.GraphProto g = derived.model().orElseThrow().getGraph();
        assertThat(derived.output()).isEqualTo("masked");
        assertThat(g.getOutputList()).extracting(OnnxMl.ValueInfoProto::getName).containsExactly("masked");
        assertThat(g.getInputList()).extracting(OnnxMl.ValueInfoProto::getName).containsExactly("raw", "seen_mask");
        assertThat(g.getNodeList()).extracting(OnnxMl.NodeProto::getOpType).containsExactly("Mul", "Sub");
    }

    /** The derived session (empty mask and the given one) against the full graph with k = all, by index. */
    private static void compare(OnnxMl.ModelProto full, String input, long[] who, long[] shape, float[] mask, int n) throws Exception {
        ScoresGraph.Derivation derived = ScoresGraph.derive(full);
        assertThat(derived.reason()).isNull();
        try (OrtSession graph = ENV.createSession(full.toByteArray(), new OrtSession.SessionOptions());
             OrtSession scores = ENV.createSession(derived.model().orElseThrow().toByteArray(), new OrtSession.SessionOptions())) {
            assertThat(scores.getInputNames()).containsExactlyInAnyOrder(input, "seen_mask");
            assertThat(scores.getOutputNames()).hasSize(1);
            for (float[] m : List.of(new float[n * ITEMS], mask)) {
                float[][] expected = sortedByIndex(graph, input, who, shape, m, n);
                float[][] actual = run(scores, Map.of(input, tensor(who, shape), "seen_mask", tensor(m, n)));
                assertThat(actual).hasDimensions(n, ITEMS);
                double maxDiff = 0;
                for (int u = 0; u < n; u++) {
                    for (int j = 0; j < ITEMS; j++) {
                        maxDiff = Math.max(maxDiff, Math.abs(actual[u][j] - expected[u][j]));
                    }
                }
                assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    private static float[][] sortedByIndex(OrtSession graph, String input, long[] who, long[] shape, float[] mask, int n) throws Exception {
        try (OnnxTensor w = tensor(who, shape); OnnxTensor m = tensor(mask, n);
             OnnxTensor k = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[]{ITEMS}), new long[]{1});
             OrtSession.Result r = graph.run(Map.of(input, w, "seen_mask", m, "k", k))) {
            long[][] items = (long[][]) r.get("items").orElseThrow().getValue();
            float[][] scores = (float[][]) r.get("scores").orElseThrow().getValue();
            float[][] byIndex = new float[n][ITEMS];
            for (int u = 0; u < n; u++) {
                assertThat(items[u]).hasSize(ITEMS);
                for (int j = 0; j < ITEMS; j++) {
                    byIndex[u][(int) items[u][j]] = scores[u][j];
                }
            }
            return byIndex;
        }
    }

    private static float[][] run(OrtSession session, Map<String, OnnxTensor> inputs) throws Exception {
        try (OrtSession.Result r = session.run(inputs)) {
            return (float[][]) r.get(0).getValue();
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    private static OnnxTensor tensor(long[] values, long[] shape) throws Exception {
        return OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), shape);
    }

    private static OnnxTensor tensor(float[] mask, int n) throws Exception {
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(mask), new long[]{n, ITEMS});
    }

    /** Three seen items per row. */
    private static float[] mask(int n, Random random) {
        float[] mask = new float[n * ITEMS];
        for (int i = 0; i < n * 3; i++) {
            mask[(i / 3) * ITEMS + random.nextInt(ITEMS)] = 1f;
        }
        return mask;
    }

    /** masked = raw − seen_mask · 1e9, with raw, seen_mask and k as inputs; the caller adds the rest and the outputs. */
    private static OnnxMl.GraphProto.Builder scoring() {
        return OnnxMl.GraphProto.newBuilder().setName("t")
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("big").setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(1e9f))
                .addInput(value("raw", OnnxMl.TensorProto.DataType.FLOAT)).addInput(value("seen_mask", OnnxMl.TensorProto.DataType.FLOAT))
                .addInput(value("k", OnnxMl.TensorProto.DataType.INT64))
                .addNode(node("Mul", List.of("seen_mask", "big"), List.of("penalty")))
                .addNode(node("Sub", List.of("raw", "penalty"), List.of("masked")))
                .addOutput(value("scores", OnnxMl.TensorProto.DataType.FLOAT)).addOutput(value("items", OnnxMl.TensorProto.DataType.INT64));
    }

    private static String reason(OnnxMl.GraphProto.Builder graph) {
        ScoresGraph.Derivation derived = ScoresGraph.derive(model(graph));
        assertThat(derived.model()).isEmpty();
        return derived.reason();
    }

    private static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder graph) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(graph).build();
    }

    private static OnnxMl.NodeProto node(String op, List<String> inputs, List<String> outputs) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "-" + outputs.get(0)).addAllInput(inputs).addAllOutput(outputs).build();
    }

    private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()))).build();
    }

    private static Factors random(int rows, int dimension, long seed) {
        Random random = new Random(seed);
        float[] v = new float[rows * dimension];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return new Factors(rows, dimension, v);
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }
}
