package io.ulm.model.churn;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported ONNX models give XGBoost's probabilities (within 1e-5) under ONNX Runtime, on 1,000 random inputs with
 * missing values. The models are trained on seeded synthetic histories (features with NaNs where they occur in
 * practice), so the test needs no data set.
 */
class ChurnOnnxEquivalenceTest {

    static final int ROWS = 1_000;
    static final double TOLERANCE = 1e-5;
    static final double MISSING_SHARE = 0.15;
    static final Instant T = Instant.parse("2024-06-01T00:00:00Z");

    static ChurnDataset train;
    static float[] inputs;

    @BeforeAll
    static void data() {
        Random random = new Random(11);
        train = ChurnDataset.at(ChurnDatasetTest.randomHistories(random, 3_000, T.minus(Duration.ofDays(300)),
                T.plus(Duration.ofDays(60))), T, Duration.ofDays(30), new Features());
        inputs = randomInputs(random);
    }

    @Test
    void treesMatchXgboost() throws Exception {
        XgbChurnModel model = XgbChurnModel.train(train, XgbChurnModel.Settings.DEFAULTS);
        double diff = maxAbsDiff(model.predict(inputs, ROWS), ChurnOnnxExport.trees(model));
        System.out.printf("ONNX trees vs XGBoost: max abs diff %.3g over %d rows%n", diff, ROWS);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
    }

    @Test
    void logisticMatchesXgboost() throws Exception {
        LogisticChurnModel model = LogisticChurnModel.train(train, LogisticChurnModel.Settings.DEFAULTS);
        double diff = maxAbsDiff(model.predict(inputs, ROWS), ChurnOnnxExport.logistic(model));
        System.out.printf("ONNX logistic vs XGBoost: max abs diff %.3g over %d rows%n", diff, ROWS);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
    }

    @Test
    void trainingIsDeterministic() {
        double[] first = XgbChurnModel.train(train, XgbChurnModel.Settings.DEFAULTS).predict(inputs, ROWS);
        double[] second = XgbChurnModel.train(train, XgbChurnModel.Settings.DEFAULTS).predict(inputs, ROWS);
        assertArrayEquals(first, second);
    }

    private static double maxAbsDiff(double[] expected, byte[] onnx) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs), new long[] {ROWS, Features.COUNT});
             OrtSession.Result result = session.run(Map.of(ChurnOnnxExport.INPUT, tensor))) {
            float[] actual = (float[]) result.get(ChurnOnnxExport.OUTPUT).orElseThrow().getValue();
            assertEquals(ROWS, actual.length);
            double max = 0;
            for (int i = 0; i < ROWS; i++) {
                max = Math.max(max, Math.abs(actual[i] - expected[i]));
            }
            return max;
        }
    }

    /** Rows drawn from the training features, each cell replaced by a random value or NaN now and then. */
    private static float[] randomInputs(Random random) {
        float[] flat = new float[ROWS * Features.COUNT];
        for (int i = 0; i < ROWS; i++) {
            float[] row = train.features()[random.nextInt(train.size())];
            for (int j = 0; j < Features.COUNT; j++) {
                double u = random.nextDouble();
                flat[i * Features.COUNT + j] = u < MISSING_SHARE ? Float.NaN
                        : u < 2 * MISSING_SHARE ? (float) (random.nextGaussian() * 100) : row[j];
            }
        }
        return flat;
    }
}
