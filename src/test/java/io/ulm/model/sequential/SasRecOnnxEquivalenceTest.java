package io.ulm.model.sequential;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ulm.model.onnx.SasRecOnnxExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exported graph in ONNX Runtime gives the DJL forward pass's scores (within 1e-4) for a few hundred users, with
 * short (padded) and long (cut) histories, and its TopK honours the seen-item mask.
 */
class SasRecOnnxEquivalenceTest {

    private static final int USERS = 300;
    private static final double TOLERANCE = 1e-4;
    /** Two heads, two blocks: the reshapes and transposes of multi-head attention are exercised. */
    private static final SasRecSettings SETTINGS = new SasRecSettings(2, 2, 16, 20, 0.2, 2, 2, 0.01, 64, 1, 1, 11);

    private static Sequences data;
    private static SasRecWeights weights;
    private static OrtSession session;
    private static OrtEnvironment env;

    @BeforeAll
    static void trainAndExport() throws Exception {
        data = Sequences.of(SyntheticSequences.walks(USERS, 250, 30, 5));
        weights = SasRecTraining.train(data, SETTINGS, (e, m, l, n) -> { }).weights();
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(SasRecOnnxExporter.export(weights, data.items().ids()).toByteArray(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    @Test
    void inputsAndOutputsFollowTheContract() throws Exception {
        Map<String, NodeInfo> in = session.getInputInfo();
        assertThat(in.keySet()).containsExactlyInAnyOrder("history", "seen_mask", "k");
        assertThat(((TensorInfo) in.get("history").getInfo()).type).isEqualTo(OnnxJavaType.INT64);
        assertThat(((TensorInfo) in.get("history").getInfo()).getShape()).containsExactly(-1, SETTINGS.maxLength());
        assertThat(((TensorInfo) session.getOutputInfo().get("items").getInfo()).type).isEqualTo(OnnxJavaType.INT64);
        assertThat(session.getMetadata().getCustomMetadata()).containsEntry("ulm.max_length", "20");
    }

    @Test
    void onnxRuntimeScoresEqualTheDjlForwardPass() throws Exception {
        Random random = new Random(3);
        int[][] histories = new int[USERS][];
        for (int u = 0; u < USERS; u++) {
            int[] all = data.of(u);
            // every length from 1 to the whole history (longer than max length: the graph sees the last 20)
            histories[u] = Arrays.copyOf(all, 1 + random.nextInt(all.length));
        }
        float[][] reference = SequenceScores.forward(weights, histories);
        int items = data.numItems();
        float[][] onnx = run(histories, new float[USERS * items], items);
        double maxDiff = 0;
        for (int u = 0; u < USERS; u++) {
            for (int j = 0; j < items; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(onnx[u][j] - reference[u][j]));
            }
        }
        System.out.printf("SASRec ONNX vs DJL: max abs score difference %.3g over %d users x %d items%n", maxDiff, USERS, items);
        assertThat(maxDiff).isLessThan(TOLERANCE);
    }

    @Test
    void seenItemsAreMaskedBeforeTopK() throws Exception {
        int items = data.numItems();
        int[] history = data.of(0);
        float[] mask = new float[items];
        for (int item : history) {
            mask[item] = 1f;
        }
        long[][] top = topK(new int[][]{history}, mask, 10);
        assertThat(top[0]).hasSize(10);
        for (long item : top[0]) {
            assertThat(mask[(int) item]).isZero();
        }
    }

    /** Every item's score, by asking TopK for all items and putting them back in index order. */
    private static float[][] run(int[][] histories, float[] mask, int items) throws Exception {
        try (OnnxTensor h = history(histories);
             OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[]{histories.length, items});
             OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{items}), new long[]{1});
             OrtSession.Result r = session.run(Map.of("history", h, "seen_mask", m, "k", k))) {
            float[][] scores = (float[][]) r.get("scores").orElseThrow().getValue();
            long[][] order = (long[][]) r.get("items").orElseThrow().getValue();
            float[][] byItem = new float[histories.length][items];
            for (int u = 0; u < histories.length; u++) {
                for (int j = 0; j < items; j++) {
                    byItem[u][(int) order[u][j]] = scores[u][j];
                }
            }
            return byItem;
        }
    }

    private static long[][] topK(int[][] histories, float[] mask, int k) throws Exception {
        try (OnnxTensor h = history(histories);
             OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[]{histories.length, data.numItems()});
             OnnxTensor kk = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{k}), new long[]{1});
             OrtSession.Result r = session.run(Map.of("history", h, "seen_mask", m, "k", kk))) {
            return (long[][]) r.get("items").orElseThrow().getValue();
        }
    }

    /** Item indexes, oldest first, left-padded with -1: the contract's history. */
    private static OnnxTensor history(int[][] histories) throws Exception {
        int length = SETTINGS.maxLength();
        long[] flat = new long[histories.length * length];
        for (int u = 0; u < histories.length; u++) {
            long[] tokens = Sequences.tokens(histories[u], length);
            for (int t = 0; t < length; t++) {
                flat[u * length + t] = tokens[t] - 1;
            }
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[]{histories.length, length});
    }
}
