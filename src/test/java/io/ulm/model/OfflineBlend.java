package io.ulm.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ulm.model.recsys.Hybrid;
import io.ulm.model.recsys.IdIndex;
import io.ulm.model.recsys.Recommender;
import io.ulm.model.recsys.ScoredItem;
import io.ulm.recommend.UserContext;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expected served hybrid, computed the offline way: both active graphs run directly (one user, no mask, every
 * item), their scores laid on one index of all ids (an item a model does not know gets its lowest score, i.e. 0 after
 * min-max), and {@link Hybrid} ranks them with the tuned weights [ALS, SASRec], never a seen item.
 */
final class OfflineBlend {

    private OfflineBlend() {
    }

    /** Her top {@code k} item ids and their blended scores, best first. */
    static Map<String, Double> top(OnnxModels models, UserContext.Context user, int k, double[] weights) throws OrtException {
        ServedModel als = models.active(ModelKind.RECOMMENDER).orElseThrow();
        ServedModel sasrec = models.active(ModelKind.SEQUENTIAL).orElseThrow();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] byUser;
        try (OnnxTensor who = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{als.userIndex(user.userId())}), new long[]{1})) {
            byUser = scores(als, ModelContract.USER, who);
        }
        long[] history = new long[sasrec.historyLength()];
        Arrays.fill(history, -1);
        long[] known = user.recent().stream().map(sasrec::itemIndex).filter(java.util.Objects::nonNull).mapToLong(Integer::longValue).toArray();
        int used = Math.min(history.length, known.length);
        System.arraycopy(known, known.length - used, history, history.length - used, used);
        float[] bySequence;
        try (OnnxTensor h = OnnxTensor.createTensor(env, LongBuffer.wrap(history), new long[]{1, history.length})) {
            bySequence = scores(sasrec, ModelContract.HISTORY, h);
        }
        List<String> ids = new ArrayList<>(als.items());
        ids.addAll(sasrec.items());
        IdIndex all = IdIndex.of(ids);
        Hybrid hybrid = Hybrid.of(List.of(onIndex(all, als.items(), byUser), onIndex(all, sasrec.items(), bySequence)),
                weights);
        Map<String, Double> top = new LinkedHashMap<>();
        for (ScoredItem s : hybrid.recommend(0, k, i -> user.seen().contains(all.id(i)))) {
            top.put(all.id(s.item()), s.score());
        }
        return top;
    }

    /** The graph's score of every item by index: k = all items, an empty mask. */
    private static float[] scores(ServedModel model, String input, OnnxTensor who) throws OrtException {
        int n = model.items().size();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor mask = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[n]), new long[]{1, n});
             OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{n}), new long[]{1});
             OrtSession.Result result = model.session().run(Map.of(input, who, ModelContract.SEEN_MASK, mask, ModelContract.K, k))) {
            long[] items = ((long[][]) result.get(ModelContract.ITEMS).orElseThrow().getValue())[0];
            float[] scores = ((float[][]) result.get(ModelContract.SCORES).orElseThrow().getValue())[0];
            float[] byIndex = new float[n];
            for (int i = 0; i < items.length; i++) {
                byIndex[(int) items[i]] = scores[i];
            }
            return byIndex;
        }
    }

    private static Recommender onIndex(IdIndex all, List<String> items, float[] scores) {
        double min = Double.POSITIVE_INFINITY;
        for (float s : scores) {
            min = Math.min(min, s);
        }
        double[] row = new double[all.size()];
        Arrays.fill(row, min);
        for (int i = 0; i < items.size(); i++) {
            row[all.index(items.get(i))] = scores[i];
        }
        return new Recommender() {
            @Override
            public String name() {
                return "graph";
            }

            @Override
            public double[] scores(int user) {
                return row.clone();
            }
        };
    }
}
