package io.ulm.segment;

import java.util.List;

/**
 * The mean silhouette coefficient (Rousseeuw 1987) of a labelled point set: for each point, a = mean
 * distance to the other points of its cluster, b = the lowest mean distance to the points of another
 * cluster, s = (b - a) / max(a, b); s = 0 for a point alone in its cluster. Near 1: tight, well separated
 * clusters; near 0: overlapping; negative: points closer to another cluster. Commons Math has no
 * silhouette (only within-cluster variance), hence these few lines. O(n²): callers pass a sample.
 */
public final class Silhouette {

    private Silhouette() {
    }

    /** {@code labels[i]} in [0, k) is the cluster of {@code points.get(i)}. */
    public static double mean(List<double[]> points, int[] labels, int k) {
        int n = points.size();
        if (n < 2 || k < 2) {
            return 0;
        }
        int[] sizes = new int[k];
        for (int label : labels) {
            sizes[label]++;
        }
        double total = 0;
        double[] sums = new double[k];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(sums, 0);
            double[] p = points.get(i);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sums[labels[j]] += distance(p, points.get(j));
                }
            }
            int own = labels[i];
            if (sizes[own] <= 1) {
                continue; // s(i) = 0 by definition
            }
            double a = sums[own] / (sizes[own] - 1);
            double b = Double.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                if (c != own && sizes[c] > 0) {
                    b = Math.min(b, sums[c] / sizes[c]);
                }
            }
            if (b != Double.MAX_VALUE && Math.max(a, b) > 0) {
                total += (b - a) / Math.max(a, b);
            }
        }
        return total / n;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
