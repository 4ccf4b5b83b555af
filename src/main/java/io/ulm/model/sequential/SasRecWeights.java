package io.ulm.model.sequential;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A trained network's parameters as plain arrays (row-major), by name: what the ONNX export reads and what a network
 * is rebuilt from. Names: {@code item_embedding} [items + 1, hidden] (row 0 = padding), {@code position_embedding}
 * [max length, hidden], per block {@code b}: {@code block<b>.attention_norm.gamma|beta}, {@code block<b>.query|key|
 * value|output.weight} [hidden, hidden] and {@code .bias}, {@code block<b>.ffn_norm.gamma|beta}, {@code block<b>.ffn1|
 * ffn2.weight|bias}; then {@code final_norm.gamma|beta}. Linear layers compute x · weight + bias.
 */
public record SasRecWeights(SasRecSettings settings, int items, Map<String, Tensor> tensors) {

    /** One parameter: its shape and values. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
            }
        }
    }

    public SasRecWeights {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Fresh weights from a seeded Java random: Xavier-uniform matrices and embeddings, unit layer-norm gains, zero
     * biases and shifts.
     */
    public static SasRecWeights initial(SasRecSettings s, int items) {
        Random random = new Random(s.seed());
        Map<String, Tensor> t = new LinkedHashMap<>();
        int d = s.hidden();
        t.put("item_embedding", xavier(random, items + 1, d));
        t.put("position_embedding", xavier(random, s.maxLength(), d));
        for (int b = 0; b < s.blocks(); b++) {
            norm(t, "block" + b + ".attention_norm", d);
            for (String linear : new String[]{"query", "key", "value", "output"}) {
                linear(t, random, "block" + b + "." + linear, d);
            }
            norm(t, "block" + b + ".ffn_norm", d);
            linear(t, random, "block" + b + ".ffn1", d);
            linear(t, random, "block" + b + ".ffn2", d);
        }
        norm(t, "final_norm", d);
        return new SasRecWeights(s, items, t);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return t;
    }

    private static void norm(Map<String, Tensor> t, String name, int d) {
        float[] ones = new float[d];
        Arrays.fill(ones, 1f);
        t.put(name + ".gamma", new Tensor(new long[]{d}, ones));
        t.put(name + ".beta", new Tensor(new long[]{d}, new float[d]));
    }

    private static void linear(Map<String, Tensor> t, Random random, String name, int d) {
        t.put(name + ".weight", xavier(random, d, d));
        t.put(name + ".bias", new Tensor(new long[]{d}, new float[d]));
    }

    private static Tensor xavier(Random random, int rows, int columns) {
        double bound = Math.sqrt(6.0 / (rows + columns));
        float[] w = new float[rows * columns];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return new Tensor(new long[]{rows, columns}, w);
    }

    /** Total number of weights. */
    public long size() {
        return tensors.values().stream().mapToLong(t -> t.values().length).sum();
    }
}
