package io.ulm.segment;

import io.ulm.platform.UlmConfig;
import io.ulm.segment.ClusterFeatures.Points;
import io.ulm.segment.ClusterFeatures.UserPoint;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Behavioural clusters of the buyers, with Apache Commons Math: k-means++ for every k in the configured range,
 * the smallest k whose mean silhouette is within a tolerance of the best kept; and DBSCAN, which leaves points in no dense region unassigned.
 * Seeded and fed in user-id order, so the same data gives the same clusters on any node. Clusters are
 * numbered by size (largest first), so a re-run on similar data mostly keeps the numbers.
 */
@ApplicationScoped
public class Clustering {

    private final UlmConfig.Segments.Clusters config;

    Clustering(UlmConfig config) {
        this.config = config.segments().clusters();
    }

    /** Clusters the buyers at the watermark's UTC day (a JDBC connection of the caller). */
    public ClusterRun run(Connection c, LocalDate watermarkDay) throws SQLException {
        Points points = ClusterFeatures.read(c, watermarkDay);
        return run(points);
    }

    ClusterRun run(Points all) {
        List<UserPoint> points = all.points();
        List<UserPoint> fit = sample(points, config.maxUsers());
        int kMax = Math.min(config.kMax(), fit.size() - 1);
        if (fit.size() < 3 || kMax < config.kMin()) {
            return new ClusterRun(all, null, null, "too few buyers to cluster: " + fit.size());
        }
        ClusterRun.KMeans kmeans = kmeans(points, fit, kMax);
        ClusterRun.Dbscan dbscan = dbscan(points, fit, all.scaling());
        return new ClusterRun(all, kmeans, dbscan, null);
    }

    private ClusterRun.KMeans kmeans(List<UserPoint> points, List<UserPoint> fit, int kMax) {
        List<UserPoint> sample = sample(fit, config.silhouetteSample());
        List<double[]> sampleVectors = sample.stream().map(UserPoint::scaled).toList();
        Map<Integer, Double> candidates = new LinkedHashMap<>();
        Map<Integer, List<double[]>> centroidsByK = new HashMap<>();
        Map<Integer, Double> scores = new HashMap<>();
        for (int k = config.kMin(); k <= kMax; k++) {
            KMeansPlusPlusClusterer<UserPoint> kmeans = new KMeansPlusPlusClusterer<>(k, config.maxIterations(),
                    new EuclideanDistance(), new Well19937c(config.seed()));
            List<CentroidCluster<UserPoint>> clusters = new MultiKMeansPlusPlusClusterer<>(kmeans, config.trials()).cluster(fit);
            List<double[]> centroids = ordered(clusters);
            double score = Silhouette.mean(sampleVectors, nearest(sample, centroids), centroids.size());
            centroidsByK.put(k, centroids);
            scores.put(k, score);
            candidates.put(k, Math.round(score * 10_000) / 10_000.0);
        }
        double best = scores.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        int k = config.kMin();
        while (scores.get(k) < best - config.silhouetteTolerance()) {
            k++; // the smallest k within the tolerance of the best silhouette
        }
        List<double[]> chosen = centroidsByK.get(k);
        return new ClusterRun.KMeans(chosen.size(), scores.get(k), candidates, chosen, nearest(points, chosen));
    }

    /** Centroids ordered by cluster size, largest first (then by coordinates, for a total order). */
    private static List<double[]> ordered(List<CentroidCluster<UserPoint>> clusters) {
        List<CentroidCluster<UserPoint>> sorted = new ArrayList<>(clusters);
        sorted.removeIf(c -> c.getPoints().isEmpty());
        sorted.sort(Comparator.<CentroidCluster<UserPoint>>comparingInt(c -> -c.getPoints().size())
                .thenComparing(c -> c.getCenter().getPoint(), Arrays::compare));
        return sorted.stream().map(c -> c.getCenter().getPoint()).toList();
    }

    /** Each point's nearest centroid: the k-means assignment, also for points left out of the fit. */
    static int[] nearest(List<UserPoint> points, List<double[]> centroids) {
        int[] labels = new int[points.size()];
        for (int i = 0; i < labels.length; i++) {
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < centroids.size(); c++) {
                double d = Silhouette.distance(points.get(i).scaled(), centroids.get(c));
                if (d < bestDistance) {
                    bestDistance = d;
                    labels[i] = c;
                }
            }
        }
        return labels;
    }

    private ClusterRun.Dbscan dbscan(List<UserPoint> points, List<UserPoint> fit, ClusterFeatures.Scaling scaling) {
        List<Cluster<UserPoint>> clusters = new ArrayList<>(new DBSCANClusterer<UserPoint>(config.eps(), config.minPts(),
                new EuclideanDistance()).cluster(fit));
        clusters.sort(Comparator.<Cluster<UserPoint>>comparingInt(c -> -c.getPoints().size())
                .thenComparing(c -> c.getPoints().stream().map(UserPoint::userId).min(String::compareTo).orElse("")));
        Map<String, Integer> labelOf = new HashMap<>();
        List<UserPoint> medoids = new ArrayList<>();
        for (int label = 0; label < clusters.size(); label++) {
            for (UserPoint p : clusters.get(label).getPoints()) {
                labelOf.put(p.userId(), label);
            }
            medoids.add(medoid(clusters.get(label).getPoints()));
        }
        int[] labels = new int[points.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelOf.getOrDefault(points.get(i).userId(), -1);
        }
        return new ClusterRun.Dbscan(config.eps(), config.minPts(), medoids, labels, fit.size());
    }

    /** The member with the least total distance to the others (over a sample of a large cluster). */
    private UserPoint medoid(List<UserPoint> members) {
        List<UserPoint> sample = sample(members, config.silhouetteSample());
        UserPoint best = null;
        double bestSum = Double.MAX_VALUE;
        for (UserPoint candidate : sample) {
            double sum = 0;
            for (UserPoint other : sample) {
                sum += Silhouette.distance(candidate.scaled(), other.scaled());
            }
            if (sum < bestSum) {
                bestSum = sum;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * At most {@code max} points, chosen by a hash of the user id (the same users whatever the order or the
     * node, and mostly the same users as the population grows), returned in user-id order.
     */
    static List<UserPoint> sample(List<UserPoint> points, int max) {
        if (points.size() <= max) {
            return points;
        }
        List<UserPoint> chosen = new ArrayList<>(points);
        chosen.sort(Comparator.comparingInt((UserPoint p) -> mix(p.userId().hashCode())).thenComparing(UserPoint::userId));
        chosen = new ArrayList<>(chosen.subList(0, max));
        chosen.sort(Comparator.comparing(UserPoint::userId));
        return chosen;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
