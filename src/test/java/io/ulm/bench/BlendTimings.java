package io.ulm.bench;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ulm.model.onnx.ScoresGraph;
import io.ulm.recommend.ScoreBlend;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The served ALS + SASRec blend for SequentialRecommendBench, end to end the old way (both full graphs with k = all
 * items, outputs un-sorted back to index order) and the new way (the scores sessions {@link ScoresGraph} derives: no
 * TopK, every item's score by index), then {@link ScoreBlend} per user; and the old way part by part, to see where
 * the time goes. Bare sessions, no batcher (RecommendBench measures the endpoint's overhead).
 */
final class BlendTimings implements AutoCloseable {

    /** What a phase costs for one draw of users; only the nanos returned are counted. */
    private interface Phase {
        long nanos(SequentialRecommendBench.Draw draw, Set<String> seen) throws Exception;
    }

    private static final double[] WEIGHTS = {0.2, 0.8};

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession mf;
    private final OrtSession sasrec;
    private final OrtSession mfScores;
    private final OrtSession sasrecScores;
    private final int items;
    private final int length;
    private final List<String> ids;
    private final ScoreBlend.Alignment aligned;

    BlendTimings(byte[] mfGraph, byte[] sasrecGraph, List<String> ids, int length) throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        this.mf = env.createSession(mfGraph, options);
        this.sasrec = env.createSession(sasrecGraph, options);
        this.mfScores = env.createSession(derived(mfGraph), options);
        this.sasrecScores = env.createSession(derived(sasrecGraph), options);
        this.items = ids.size();
        this.length = length;
        this.ids = ids;
        this.aligned = ScoreBlend.Alignment.of(List.of(ids, ids));   // once per model pair, as served
    }

    private static byte[] derived(byte[] graph) throws Exception {
        return ScoresGraph.derive(OnnxMl.ModelProto.parseFrom(graph)).model().orElseThrow().toByteArray();
    }

    /** Printed lines: the old path part by part, then old and new end to end, for one user and a batch of 64. */
    void print(int runsOne, int runsBatch, int k) throws Exception {
        System.out.println("-- where the old blend's time goes (p50 / p99 ms, each part timed alone; empty mask) --");
        for (int n : new int[]{1, 64}) {
            int runs = n == 1 ? runsOne : runsBatch;
            line("factorisation graph, k = 10          ", n, time(n, runs, (d, s) -> graph(mf, d, n, false, k)));
            line("factorisation graph, k = all         ", n, time(n, runs, (d, s) -> graph(mf, d, n, false, items)));
            line("factorisation scores graph (no TopK) ", n, time(n, runs, (d, s) -> scores(mfScores, d, n, false, null)));
            line("SASRec graph, k = 10                 ", n, time(n, runs, (d, s) -> graph(sasrec, d, n, true, k)));
            line("SASRec graph, k = all                ", n, time(n, runs, (d, s) -> graph(sasrec, d, n, true, items)));
            line("SASRec scores graph (no TopK)        ", n, time(n, runs, (d, s) -> scores(sasrecScores, d, n, true, null)));
            line("both k = all outputs: copy + un-sort ", n, time(n, runs, (d, s) -> unsorted(d, n, null)));
            line("both scores outputs: copy rows       ", n, time(n, runs, (d, s) -> {
                long[] copy = new long[1];
                scores(mfScores, d, n, false, copy);
                scores(sasrecScores, d, n, true, copy);
                return copy[0];
            }));
            float[][][] rows = new float[2][][];
            line("Java blend (ScoreBlend per user)     ", n, time(n, runs, (d, s) -> {
                rows[0] = rows(mfScores, d, n, false);
                rows[1] = rows(sasrecScores, d, n, true);
                long started = System.nanoTime();
                blend(rows[0], rows[1], s, k, n);
                return System.nanoTime() - started;
            }));
        }
        System.out.println("-- the served blend end to end, old (k = all, un-sorted) and new (scores sessions) in one run --");
        for (int n : new int[]{1, 64}) {
            int runs = n == 1 ? runsOne : runsBatch;
            line("ALS + SASRec blend, k = all (old)     ", n, time(n, runs, (d, s) -> {
                long started = System.nanoTime();
                float[][][] byIndex = new float[2][][];
                unsorted(d, n, byIndex);
                blend(byIndex[0], byIndex[1], s, k, n);
                return System.nanoTime() - started;
            }));
            line("ALS + SASRec blend, scores sessions   ", n, time(n, runs, (d, s) -> {
                long started = System.nanoTime();
                blend(rows(mfScores, d, n, false), rows(sasrecScores, d, n, true), s, k, n);
                return System.nanoTime() - started;
            }));
        }
    }

    private void blend(float[][] byUser, float[][] bySequence, Set<String> seen, int k, int n) {
        for (int i = 0; i < n; i++) {
            ScoreBlend.top(aligned, List.of(byUser[i], bySequence[i]), WEIGHTS, seen::contains, k);
        }
    }

    /** [p50, p99] ms of {@code runs} draws of {@code n} users (a fifth more first, as warm-up). */
    private double[] time(int n, int runs, Phase phase) throws Exception {
        long[] nanos = new long[runs];
        Random random = new Random(5);
        for (int r = -runs / 5; r < runs; r++) {
            SequentialRecommendBench.Draw draw = SequentialRecommendBench.Draw.of(random, n);
            Set<String> seen = new HashSet<>(List.of(ids.get(random.nextInt(items)), ids.get(random.nextInt(items))));
            long took = phase.nanos(draw, seen);
            if (r >= 0) {
                nanos[r] = took;
            }
        }
        return SequentialRecommendBench.percentiles(nanos);
    }

    private static void line(String what, int n, double[] p) {
        System.out.printf("%s %-12s p50 %8.3f ms  p99 %8.3f ms%n", what, n == 1 ? "one user:" : "batch of " + n + ":", p[0], p[1]);
    }

    /** The session call alone (k given, empty mask). */
    private long graph(OrtSession session, SequentialRecommendBench.Draw draw, int n, boolean sequential, int k) throws Exception {
        try (OnnxTensor who = who(draw, n, sequential); OnnxTensor m = zeros(n);
             OnnxTensor kk = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{k}), new long[]{1})) {
            long started = System.nanoTime();
            try (OrtSession.Result result = session.run(Map.of(sequential ? "history" : "user", who, "seen_mask", m, "k", kk))) {
                return System.nanoTime() - started;
            }
        }
    }

    /** Both full graphs with k = all; the copy of their outputs and the un-sort timed, or (byIndex given) kept. */
    private long unsorted(SequentialRecommendBench.Draw draw, int n, float[][][] byIndex) throws Exception {
        long nanos = 0;
        for (int g = 0; g < 2; g++) {
            boolean sequential = g == 1;
            try (OnnxTensor who = who(draw, n, sequential); OnnxTensor m = zeros(n);
                 OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{items}), new long[]{1});
                 OrtSession.Result result = (sequential ? sasrec : mf).run(Map.of(sequential ? "history" : "user", who, "seen_mask", m, "k", k))) {
                long started = System.nanoTime();
                long[][] top = (long[][]) result.get("items").orElseThrow().getValue();
                float[][] scores = (float[][]) result.get("scores").orElseThrow().getValue();
                float[][] rows = new float[n][items];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < items; j++) {
                        rows[i][(int) top[i][j]] = scores[i][j];
                    }
                }
                nanos += System.nanoTime() - started;
                if (byIndex != null) {
                    byIndex[g] = rows;
                }
            }
        }
        return nanos;
    }

    /** The scores session's call (returned) and, into {@code copy[0]}, the copy of its rows. */
    private long scores(OrtSession session, SequentialRecommendBench.Draw draw, int n, boolean sequential, long[] copy) throws Exception {
        try (OnnxTensor who = who(draw, n, sequential); OnnxTensor m = zeros(n)) {
            long started = System.nanoTime();
            try (OrtSession.Result result = session.run(Map.of(sequential ? "history" : "user", who, "seen_mask", m))) {
                long ran = System.nanoTime() - started;
                long copied = System.nanoTime();
                rows(result, n);
                if (copy != null) {
                    copy[0] += System.nanoTime() - copied;
                }
                return ran;
            }
        }
    }

    /** The scores session's rows, as TopKBatcher reads them (input tensors made per call, as served). */
    private float[][] rows(OrtSession session, SequentialRecommendBench.Draw draw, int n, boolean sequential) throws Exception {
        try (OnnxTensor who = who(draw, n, sequential); OnnxTensor m = zeros(n);
             OrtSession.Result result = session.run(Map.of(sequential ? "history" : "user", who, "seen_mask", m))) {
            return rows(result, n);
        }
    }

    private float[][] rows(OrtSession.Result result, int n) throws Exception {
        FloatBuffer all = ((OnnxTensor) result.get(0)).getFloatBuffer();
        float[][] rows = new float[n][items];
        for (float[] row : rows) {
            all.get(row);
        }
        return rows;
    }

    private OnnxTensor who(SequentialRecommendBench.Draw draw, int n, boolean sequential) throws Exception {
        return sequential ? OnnxTensor.createTensor(env, LongBuffer.wrap(draw.history()), new long[]{n, length})
                : OnnxTensor.createTensor(env, LongBuffer.wrap(draw.users()), new long[]{n});
    }

    private OnnxTensor zeros(int n) throws Exception {
        return OnnxTensor.createTensor(env, FloatBuffer.allocate(n * items), new long[]{n, items});
    }

    @Override
    public void close() throws Exception {
        for (OrtSession s : new OrtSession[]{mf, sasrec, mfScores, sasrecScores}) {
            s.close();
        }
    }
}
