package io.ulm.model.sequential;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return t;
    }

    /** Total number of weights. */
    public long size() {
        return tensors.values().stream().mapToLong(t -> t.values().length).sum();
    }
}
