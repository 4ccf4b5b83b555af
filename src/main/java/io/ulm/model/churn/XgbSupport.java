package io.ulm.model.churn;

import java.util.Map;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** The XGBoost4J calls both churn models share (training without watches, batch prediction, native cleanup). */
final class XgbSupport {

    private XgbSupport() {
    }

    /** Trains on row-major features; NaN is missing. No watches: XGBoost4J would log every round otherwise. */
    static Booster train(float[] flat, float[] labels, Map<String, Object> params, int rounds) {
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(flat, labels.length, Features.COUNT, Float.NaN);
            matrix.setLabel(labels);
            return XGBoost.train(matrix, params, rounds, Map.of(), null, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed", e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** P(churn) per row. */
    static double[] predict(Booster booster, float[] flat, int rows) {
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(flat, rows, Features.COUNT, Float.NaN);
            float[][] out = booster.predict(matrix);
            double[] p = new double[rows];
            for (int i = 0; i < rows; i++) {
                p[i] = out[i][0];
            }
            return p;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed", e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** The full model as XGBoost's JSON (trees or linear weights, and base_score). */
    static byte[] json(Booster booster) {
        try {
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost model export failed", e);
        }
    }
}
