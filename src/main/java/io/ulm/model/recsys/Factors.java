package io.ulm.model.recsys;

import java.util.Arrays;

/** A dense rows × dimension matrix of latent factors, row-major floats (the layout ONNX initializers use). */
public record Factors(int rows, int dimension, float[] values) {

    public Factors {
        if (values.length != rows * dimension) {
            throw new IllegalArgumentException("expected " + rows + " × " + dimension + " values, got " + values.length);
        }
    }

    /** A copy of one row. */
    public float[] row(int row) {
        return Arrays.copyOfRange(values, row * dimension, (row + 1) * dimension);
    }

    /** Dot product of a row of this matrix with a row of another of the same dimension, accumulated in double. */
    public double dot(int row, Factors other, int otherRow) {
        double sum = 0;
        int a = row * dimension;
        int b = otherRow * dimension;
        for (int f = 0; f < dimension; f++) {
            sum += (double) values[a + f] * other.values[b + f];
        }
        return sum;
    }
}
