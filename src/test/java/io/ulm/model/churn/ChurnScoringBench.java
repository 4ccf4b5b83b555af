package io.ulm.model.churn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Batch churn scoring without the database ({@code ./mvnw -Pbench verify -Dit.test=ChurnScoringBench}): seeded
 * synthetic histories, features at the cutoff and the exported XGBoost graph under ONNX Runtime in chunks of 4,096
 * (what ChurnScoringJob does between reading the log and writing churn_score). The end-to-end job on Online Retail,
 * database included, is measured by OnlineRetailModelsTest (docs/benchmarks.md).
 */
class ChurnScoringBench {

    private static final int USERS = Integer.getInteger("bench.users", 200_000);
    private static final int CHUNK = 4_096;
    private static final Instant T = Instant.parse("2024-06-01T00:00:00Z");

    @Test
    void scoring() throws Exception {
        Random random = new Random(5);
        List<UserHistory> histories = ChurnDatasetTest.randomHistories(random, USERS, T.minus(Duration.ofDays(300)), T);
        ChurnDataset train = ChurnDataset.at(histories.subList(0, 5_000), T.minus(Duration.ofDays(30)), Duration.ofDays(30), new Features());
        byte[] onnx = ChurnOnnxExport.trees(XgbChurnModel.train(train, XgbChurnModel.Settings.DEFAULTS));
        Features features = new Features();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            score(histories.subList(0, 20_000), features, session, env);   // warm-up
            long[] nanos = score(histories, features, session, env);
            double total = nanos[0] + nanos[1];
            System.out.printf("%n==== ULM churn scoring benchmark, %s, %d cores, Java %s ====%n", LocalDate.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("%,d users (synthetic histories), XGBoost 300 trees depth 4 as ONNX, chunks of %,d%n", USERS, CHUNK);
            System.out.printf("features: %,.0f users/min; ONNX Runtime: %,.0f users/min; both: %,.0f users/min%n",
                    USERS / (nanos[0] / 6e10), USERS / (nanos[1] / 6e10), USERS / (total / 6e10));
        }
    }

    /** [feature nanoseconds, ONNX nanoseconds]. */
    private static long[] score(List<UserHistory> users, Features features, OrtSession session, OrtEnvironment env) throws Exception {
        long featureNanos = 0;
        long onnxNanos = 0;
        for (int from = 0; from < users.size(); from += CHUNK) {
            List<UserHistory> chunk = users.subList(from, Math.min(users.size(), from + CHUNK));
            long t0 = System.nanoTime();
            float[][] x = new float[chunk.size()][];
            for (int i = 0; i < x.length; i++) {
                x[i] = features.compute(chunk.get(i).before(T), T);
            }
            long t1 = System.nanoTime();
            try (OnnxTensor in = OnnxTensor.createTensor(env, x); OrtSession.Result r = session.run(Map.of("features", in))) {
                r.get(0).getValue();
            }
            long t2 = System.nanoTime();
            featureNanos += t1 - t0;
            onnxNanos += t2 - t1;
        }
        return new long[]{featureNanos, onnxNanos};
    }
}
