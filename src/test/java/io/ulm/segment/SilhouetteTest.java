package io.ulm.segment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The silhouette against a value worked out by hand. */
class SilhouetteTest {

    @Test
    void fourPointsOnALine() {
        // points 0, 1 (cluster 0) and 10, 12 (cluster 1)
        List<double[]> points = List.of(new double[]{0}, new double[]{1}, new double[]{10}, new double[]{12});
        int[] labels = {0, 0, 1, 1};
        // s(0): a = 1, b = (10 + 12) / 2 = 11 -> 10/11; s(1): a = 1, b = (9 + 11) / 2 = 10 -> 9/10
        // s(10): a = 2, b = (10 + 9) / 2 = 9.5 -> 7.5/9.5; s(12): a = 2, b = (12 + 11) / 2 = 11.5 -> 9.5/11.5
        double expected = (10.0 / 11 + 9.0 / 10 + 7.5 / 9.5 + 9.5 / 11.5) / 4;
        assertThat(Silhouette.mean(points, labels, 2)).isCloseTo(expected, within(1e-12));
        // swapping two points between the clusters makes it negative
        assertThat(Silhouette.mean(points, new int[]{0, 1, 0, 1}, 2)).isNegative();
    }

    @Test
    void singletonsScoreZero() {
        List<double[]> points = List.of(new double[]{0}, new double[]{5}, new double[]{6});
        // s(0) = 0 (alone); s(5): a = 1, b = 5 -> 0.8; s(6): a = 1, b = 6 -> 5/6
        assertThat(Silhouette.mean(points, new int[]{0, 1, 1}, 2)).isCloseTo((0.8 + 5.0 / 6) / 3, within(1e-12));
    }
}
