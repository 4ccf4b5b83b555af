package io.ulm.model.churn;

/**
 * z-scores for the linear model: (x − mean) · scale with scale = 1 / sd, computed in float exactly as ONNX's
 * {@code ai.onnx.ml.Scaler} does; a missing (NaN) value becomes the mean, i.e. 0, so it adds nothing to the score.
 * A constant feature gets scale 0.
 */
public record Standardizer(float[] mean, float[] scale) {

    public static Standardizer fit(float[][] rows) {
        int f = Features.COUNT;
        float[] mean = new float[f];
        float[] scale = new float[f];
        for (int j = 0; j < f; j++) {
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (float[] row : rows) {
                if (!Float.isNaN(row[j])) {
                    sum += row[j];
                    sumSq += (double) row[j] * row[j];
                    n++;
                }
            }
            double m = n == 0 ? 0 : sum / n;
            double sd = n == 0 ? 0 : Math.sqrt(Math.max(0, sumSq / n - m * m));
            mean[j] = (float) m;
            scale[j] = sd == 0 ? 0f : (float) (1 / sd);
        }
        return new Standardizer(mean, scale);
    }

    public float[] apply(float[] flat) {
        float[] out = new float[flat.length];
        for (int i = 0; i < flat.length; i++) {
            int j = i % Features.COUNT;
            float x = Float.isNaN(flat[i]) ? mean[j] : flat[i];
            out[i] = (x - mean[j]) * scale[j];
        }
        return out;
    }
}
