package io.ulm.model.churn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The churn examples at one cutoff T with horizon H: every user with at least one activity before T; her features
 * and BG/NBD inputs come from activities before T only, her label is 1 (churned) when she has no activity in
 * [T, T + H). Train on an earlier cutoff T1 and evaluate on a later T2 ≥ T1 + H ({@link #requireOutOfTime}) so that
 * nothing the model was fitted on overlaps the evaluation labels.
 */
public record ChurnDataset(Instant cutoff, Duration horizon, List<String> userIds, float[][] features,
                           List<RepeatPurchases> repeatPurchases, float[] labels) {

    public static ChurnDataset at(List<UserHistory> histories, Instant cutoff, Duration horizon, Features features) {
        Instant end = cutoff.plus(horizon);
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<RepeatPurchases> repeat = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        for (UserHistory history : histories) {
            if (!history.hasActivityBefore(cutoff)) {
                continue;
            }
            UserHistory past = history.before(cutoff);
            ids.add(history.userId());
            rows.add(features.compute(past, cutoff));
            repeat.add(RepeatPurchases.of(past, cutoff));
            labels.add(history.activeIn(cutoff, end) ? 0f : 1f);
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return new ChurnDataset(cutoff, horizon, List.copyOf(ids), rows.toArray(float[][]::new), List.copyOf(repeat), y);
    }

    /** Throws unless {@code later}'s cutoff is at or after this set's label window end (no overlap of time). */
    public void requireOutOfTime(ChurnDataset later) {
        if (later.cutoff.isBefore(cutoff.plus(horizon))) {
            throw new IllegalArgumentException("evaluation cutoff " + later.cutoff + " lies inside the training label"
                    + " window [" + cutoff + ", " + cutoff.plus(horizon) + ")");
        }
    }

    public int size() {
        return labels.length;
    }

    /** The rows at {@code indices} (e.g. a user split into train and validation at the same cutoff). */
    public ChurnDataset subset(int[] indices) {
        List<String> ids = new ArrayList<>();
        List<RepeatPurchases> repeat = new ArrayList<>();
        float[][] x = new float[indices.length][];
        float[] y = new float[indices.length];
        for (int k = 0; k < indices.length; k++) {
            ids.add(userIds.get(indices[k]));
            repeat.add(repeatPurchases.get(indices[k]));
            x[k] = features[indices[k]];
            y[k] = labels[indices[k]];
        }
        return new ChurnDataset(cutoff, horizon, List.copyOf(ids), x, List.copyOf(repeat), y);
    }

    /** Row-major copy of the features, the layout XGBoost and ONNX Runtime take. */
    public float[] flatFeatures() {
        float[] flat = new float[features.length * Features.COUNT];
        for (int i = 0; i < features.length; i++) {
            System.arraycopy(features[i], 0, flat, i * Features.COUNT, Features.COUNT);
        }
        return flat;
    }

    public double churnRate() {
        double sum = 0;
        for (float v : labels) {
            sum += v;
        }
        return labels.length == 0 ? Double.NaN : sum / labels.length;
    }
}
