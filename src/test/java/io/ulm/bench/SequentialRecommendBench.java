package io.ulm.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ulm.model.onnx.MfOnnxExporter;
import io.ulm.model.onnx.SasRecOnnxExporter;
import io.ulm.model.recsys.Factors;
import io.ulm.model.sequential.SasRecSettings;
import io.ulm.model.sequential.SasRecWeights;
import io.ulm.recommend.ScoreBlend;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The sequential model's serving cost beside the factorisation's ({@code ./mvnw -Pbench verify
 * -Dit.test=SequentialRecommendBench}; run it on an idle machine): the ONNX Runtime session of each graph over the same
 * catalogue, for one user and for a batch of 64 (what TopKBatcher sends under load), top 10 with 3 seen items masked.
 * SASRec reads a full history of max-length items; weights are random (seeded): only the graph's size and shape matter.
 * The endpoint's overhead over the bare session is measured by RecommendBench. The served ALS + SASRec blend is timed
 * by {@link BlendTimings}: the old way (both graphs with k = all items, un-sorted) part by part, and old beside new
 * (the derived scores sessions, no TopK), then {@link ScoreBlend} per user.
 */
class SequentialRecommendBench {

    private static final int ITEMS = Integer.getInteger("bench.items", 10_000);
    private static final int USERS = Integer.getInteger("bench.users", 2_000);
    private static final int FACTORS = Integer.getInteger("bench.factors", 64);
    private static final SasRecSettings SASREC = new SasRecSettings(Integer.getInteger("bench.blocks", 2), 1,
            Integer.getInteger("bench.hidden", 50), Integer.getInteger("bench.length", 50), 0.2, 1, 1, 0.001, 128, 1, 1, 7);
    private static final int K = 10;
    private static final int RUNS_ONE = 5_000;
    private static final int RUNS_BATCH = 500;

    @Test
    void oneUserAndABatchOf64BesideTheFactorisation() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] mf = MfOnnxExporter.export(random(USERS, FACTORS, 1), random(ITEMS, FACTORS, 2), ids("u", USERS), ids("i", ITEMS)).toByteArray();
        byte[] sasrec = SasRecOnnxExporter.export(SasRecWeights.initial(SASREC, ITEMS), ids("i", ITEMS)).toByteArray();
        double[] mfTimes;
        double[] sasTimes;
        try (OrtSession m = env.createSession(mf, new OrtSession.SessionOptions());
             OrtSession s = env.createSession(sasrec, new OrtSession.SessionOptions())) {
            mfTimes = concat(time(env, m, false, 1, RUNS_ONE), time(env, m, false, 64, RUNS_BATCH));
            sasTimes = concat(time(env, s, true, 1, RUNS_ONE), time(env, s, true, 64, RUNS_BATCH));
        }
        System.out.printf("%n==== ULM sequential recommendation benchmark, %s, %d cores, Java %s ====%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("catalogue %,d items, top %d, 3 seen items masked; model sizes: factorisation %.1f MB, SASRec %.1f MB%n",
                ITEMS, K, mf.length / 1e6, sasrec.length / 1e6);
        System.out.printf("factorisation (%d factors), one user:   p50 %7.3f ms  p99 %7.3f ms%n", FACTORS, mfTimes[0], mfTimes[1]);
        System.out.printf("factorisation (%d factors), batch of 64: p50 %7.3f ms  p99 %7.3f ms%n", FACTORS, mfTimes[2], mfTimes[3]);
        System.out.printf("SASRec (%d blocks, hidden %d, length %d), one user:   p50 %7.3f ms  p99 %7.3f ms%n", SASREC.blocks(), SASREC.hidden(),
                SASREC.maxLength(), sasTimes[0], sasTimes[1]);
        System.out.printf("SASRec (%d blocks, hidden %d, length %d), batch of 64: p50 %7.3f ms  p99 %7.3f ms%n", SASREC.blocks(), SASREC.hidden(),
                SASREC.maxLength(), sasTimes[2], sasTimes[3]);
        try (BlendTimings blend = new BlendTimings(mf, sasrec, ids("i", ITEMS), SASREC.maxLength())) {
            blend.print(RUNS_ONE / 5, RUNS_BATCH / 5, K);
        }
    }

    /** [p50, p99] ms of {@code runs} session calls for {@code n} users (a fifth more first, as warm-up). */
    private static double[] time(OrtEnvironment env, OrtSession session, boolean sequential, int n, int runs) throws Exception {
        long[] nanos = new long[runs];
        int length = SASREC.maxLength();
        Random random = new Random(3);
        for (int r = -runs / 5; r < runs; r++) {
            Draw draw = Draw.of(random, n);
            long[] users = draw.users();
            long[] history = draw.history();
            float[] mask = new float[n * ITEMS];
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < 3; s++) {
                    mask[i * ITEMS + random.nextInt(ITEMS)] = 1f;
                }
            }
            long started = System.nanoTime();
            try (OnnxTensor who = sequential ? OnnxTensor.createTensor(env, LongBuffer.wrap(history), new long[]{n, length})
                    : OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[]{n});
                 OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[]{n, ITEMS});
                 OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{K}), new long[]{1});
                 OrtSession.Result result = session.run(Map.of(sequential ? "history" : "user", who, "seen_mask", m, "k", k))) {
                result.get(0);
            }
            if (r >= 0) {
                nanos[r] = System.nanoTime() - started;
            }
        }
        return percentiles(nanos);
    }

    /** n random users and a full random history each: the inputs of both graphs. */
    record Draw(long[] users, long[] history) {

        static Draw of(Random random, int n) {
            int length = SASREC.maxLength();
            long[] users = new long[n];
            long[] history = new long[n * length];
            for (int i = 0; i < n; i++) {
                users[i] = random.nextInt(USERS);
                for (int t = 0; t < length; t++) {
                    history[i * length + t] = random.nextInt(ITEMS);
                }
            }
            return new Draw(users, history);
        }
    }

    /** [p50, p99] in ms. */
    static double[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new double[]{sorted[(int) (nanos.length * 0.50)] / 1e6, sorted[Math.min(nanos.length - 1, (int) (nanos.length * 0.99))] / 1e6};
    }

    private static Factors random(int rows, int dimension, long seed) {
        Random random = new Random(seed);
        float[] v = new float[rows * dimension];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * 0.1f;
        }
        return new Factors(rows, dimension, v);
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(prefix + String.format("%06d", i));
        }
        return ids;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
