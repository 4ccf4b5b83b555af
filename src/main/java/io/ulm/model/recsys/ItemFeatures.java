package io.ulm.model.recsys;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Sparse content feature vectors per item index: the input of {@link ContentBased}. Categories make one such block;
 * other content (e.g. the text interests' TF-IDF terms or LDA topics) can be added later as another block with
 * {@link #concat(ItemFeatures, double)}, without touching the model.
 *
 * @param dimension number of features
 * @param indices   per item, its feature indexes ascending (empty when the item has no content)
 * @param values    per item, values aligned with indices
 */
public record ItemFeatures(int dimension, int[][] indices, float[][] values) {

    /** One binary feature per category (categories sorted, so feature indexes are deterministic). */
    public static ItemFeatures categories(IdIndex items, Map<String, List<String>> categoriesByItem) {
        IdIndex categories = IdIndex.of(categoriesByItem.values().stream().flatMap(List::stream).toList());
        int[][] indices = new int[items.size()][];
        float[][] values = new float[items.size()][];
        for (int item = 0; item < items.size(); item++) {
            indices[item] = categoriesByItem.getOrDefault(items.id(item), List.of()).stream()
                    .mapToInt(categories::index).distinct().sorted().toArray();
            values[item] = new float[indices[item].length];
            Arrays.fill(values[item], 1f);
        }
        return new ItemFeatures(categories.size(), indices, values);
    }

    /**
     * This block followed by another over the same items, its values scaled by {@code weight} (how much the other
     * kind of content should count relative to this one in a cosine).
     */
    public ItemFeatures concat(ItemFeatures other, double weight) {
        if (other.indices.length != indices.length) {
            throw new IllegalArgumentException("feature blocks cover different item counts");
        }
        int[][] joinedIndices = new int[indices.length][];
        float[][] joinedValues = new float[indices.length][];
        for (int item = 0; item < indices.length; item++) {
            joinedIndices[item] = new int[indices[item].length + other.indices[item].length];
            joinedValues[item] = new float[joinedIndices[item].length];
            int n = indices[item].length;
            System.arraycopy(indices[item], 0, joinedIndices[item], 0, n);
            System.arraycopy(values[item], 0, joinedValues[item], 0, n);
            for (int j = 0; j < other.indices[item].length; j++) {
                joinedIndices[item][n + j] = dimension + other.indices[item][j];
                joinedValues[item][n + j] = (float) (weight * other.values[item][j]);
            }
        }
        return new ItemFeatures(dimension + other.dimension, joinedIndices, joinedValues);
    }

    /** Adds weight · x_item to a dense vector. */
    void addTo(int item, double weight, double[] dense) {
        for (int at = 0; at < indices[item].length; at++) {
            dense[indices[item][at]] += weight * values[item][at];
        }
    }

    double dot(int item, double[] dense) {
        double sum = 0;
        for (int at = 0; at < indices[item].length; at++) {
            sum += values[item][at] * dense[indices[item][at]];
        }
        return sum;
    }

    double norm(int item) {
        double sum = 0;
        for (float value : values[item]) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}
