package io.ulm.model;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Reads churn probabilities from either form the contract allows: {@code probability} FLOAT [N] (a regression-style
 * graph), or {@code probabilities} FLOAT [N, 2] (what an {@code ai.onnx.ml} classifier answers; column 1 = churn).
 */
public final class ChurnOutputs {

    private ChurnOutputs() {
    }

    public static double[] probabilities(OrtSession.Result result) throws OrtException {
        if (result.get(ModelContract.PROBABILITY).isPresent()) {
            return toDouble(result.get(ModelContract.PROBABILITY).get());
        }
        OnnxValue both = result.get(ModelContract.PROBABILITIES).orElseThrow(
                () -> new IllegalStateException("the graph answered neither probability nor probabilities"));
        float[][] rows = (float[][]) both.getValue();
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = rows[i][rows[i].length - 1];
        }
        return p;
    }

    private static double[] toDouble(OnnxValue value) throws OrtException {
        Object v = value.getValue();
        if (v instanceof float[] flat) {
            double[] p = new double[flat.length];
            for (int i = 0; i < flat.length; i++) {
                p[i] = flat[i];
            }
            return p;
        }
        float[][] rows = (float[][]) v;
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = rows[i][0];
        }
        return p;
    }
}
