package io.ulm.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ulm.model.recsys.ImplicitAls;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.InteractionMatrix;
import io.ulm.model.recsys.ScoredItem;
import io.ulm.model.recsys.TopK;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The exported factorisation model in ONNX Runtime gives the Java reference's scores and top-k items. */
class MfOnnxEquivalenceTest {

    private static final int USERS = 2_000;
    private static final int ITEMS = 3_000;
    private static final int TASTE_GROUPS = 20;
    private static final int EVENTS_PER_USER = 40;
    private static final int CHECKED_USERS = 1_000;
    private static final int BATCH = 100;
    private static final int K = 20;
    private static final double TOLERANCE = 1e-5;
    private static final ImplicitAls.Settings SETTINGS = new ImplicitAls.Settings(32, 0.1, 10, 5, 3, 11);

    private static InteractionMatrix matrix;
    private static ImplicitAls als;
    private static OrtEnvironment env;
    private static OrtSession session;

    @BeforeAll
    static void exportAndLoad() throws Exception {
        matrix = InteractionMatrix.of(syntheticInteractions(new Random(5)));
        als = ImplicitAls.fit(matrix, SETTINGS);
        var model = MfOnnxExporter.export(als.userFactors(), als.itemFactors(), matrix.users().ids(),
                matrix.items().ids());
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    /** Users drawn from taste groups, each preferring its own block of items, so the factors have structure. */
    private static List<Interaction> syntheticInteractions(Random random) {
        List<Interaction> events = new ArrayList<>();
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        int block = ITEMS / TASTE_GROUPS;
        for (int u = 0; u < USERS; u++) {
            int group = random.nextInt(TASTE_GROUPS);
            for (int e = 0; e < EVENTS_PER_USER; e++) {
                int item = random.nextInt(4) > 0 ? group * block + random.nextInt(block) : random.nextInt(ITEMS);
                events.add(new Interaction("u" + u, "i" + item, t0.plusSeconds(e), 1));
            }
        }
        return events;
    }

    @Test
    void contractNamesTypesAndShapes() throws Exception {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        assertThat(inputs.keySet()).containsExactlyInAnyOrder("user", "seen_mask", "k");
        assertThat(type(inputs.get("user"))).isEqualTo(OnnxJavaType.INT64);
        assertThat(type(inputs.get("k"))).isEqualTo(OnnxJavaType.INT64);
        assertThat(((TensorInfo) inputs.get("seen_mask").getInfo()).getShape()).containsExactly(-1, ITEMS);
        assertThat(session.getOutputNames()).containsExactly("scores", "items");
        assertThat(type(session.getOutputInfo().get("items"))).isEqualTo(OnnxJavaType.INT64);
        assertThat(session.getMetadata().getCustomMetadata().get(MfOnnxExporter.ITEM_IDS).split("\n"))
                .containsExactlyElementsOf(matrix.items().ids());
    }

    @Test
    void scoresAndTopItemsMatchTheJavaReference() throws Exception {
        List<Integer> users = IntStream.range(0, USERS).boxed().collect(java.util.stream.Collectors.toList());
        Collections.shuffle(users, new Random(17));
        double maxDiff = 0;
        long start = System.nanoTime();
        for (int from = 0; from < CHECKED_USERS; from += BATCH) {
            maxDiff = Math.max(maxDiff, checkBatch(users.subList(from, from + BATCH)));
        }
        System.out.printf("ONNX vs Java: %d users, top-%d over %d items, max abs diff %.3g, %.1f ms%n",
                CHECKED_USERS, K, ITEMS, maxDiff, (System.nanoTime() - start) / 1e6);
        assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Returns the largest score difference; asserts the items agree up to ties within the tolerance. */
    private static double checkBatch(List<Integer> batch) throws Exception {
        long[] userIndexes = batch.stream().mapToLong(Integer::longValue).toArray();
        float[] mask = new float[batch.size() * ITEMS];
        for (int row = 0; row < batch.size(); row++) {
            for (int item : matrix.itemsOf(batch.get(row))) {
                mask[row * ITEMS + item] = 1;
            }
        }
        try (OnnxTensor user = OnnxTensor.createTensor(env, LongBuffer.wrap(userIndexes), new long[]{batch.size()});
             OnnxTensor seen = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[]{batch.size(), ITEMS});
             OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{K}), new long[]{1});
             OrtSession.Result result = session.run(Map.of("user", user, "seen_mask", seen, "k", k))) {
            float[][] scores = (float[][]) result.get("scores").orElseThrow().getValue();
            long[][] items = (long[][]) result.get("items").orElseThrow().getValue();
            double maxDiff = 0;
            for (int row = 0; row < batch.size(); row++) {
                maxDiff = Math.max(maxDiff, compare(batch.get(row), scores[row], items[row]));
            }
            return maxDiff;
        }
    }

    private static double compare(int user, float[] onnxScores, long[] onnxItems) {
        double[] reference = referenceScores(user);
        List<ScoredItem> expected = TopK.select(reference, K, item -> false);
        double maxDiff = 0;
        for (int rank = 0; rank < K; rank++) {
            int onnxItem = (int) onnxItems[rank];
            int javaItem = expected.get(rank).item();
            maxDiff = Math.max(maxDiff, Math.abs(onnxScores[rank] - expected.get(rank).score()));
            maxDiff = Math.max(maxDiff, Math.abs(onnxScores[rank] - reference[onnxItem]));
            if (onnxItem != javaItem) {
                assertThat(Math.abs(reference[onnxItem] - reference[javaItem]))
                        .as("user %d rank %d: items %d vs %d differ without a tie", user, rank, onnxItem, javaItem)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
        return maxDiff;
    }

    /** The reference: float dot products of the factors, seen items pushed down by the same penalty. */
    private static double[] referenceScores(int user) {
        double[] scores = als.scores(user);
        for (int item = 0; item < scores.length; item++) {
            float dot = (float) scores[item];
            scores[item] = matrix.contains(user, item) ? dot - MfOnnxExporter.MASK_PENALTY : dot;
        }
        return scores;
    }

    private static OnnxJavaType type(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).type;
    }
}
