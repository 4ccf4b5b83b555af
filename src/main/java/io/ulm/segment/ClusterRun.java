package io.ulm.segment;

import io.ulm.lifecycle.api.RecordSegmentChanges;
import io.ulm.segment.ClusterFeatures.Points;
import io.ulm.segment.ClusterFeatures.UserPoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One clustering run: the points, the k-means result (the silhouette-chosen k) and the DBSCAN result, with
 * each cluster described in original units and every user's memberships as segment changes.
 * {@code skipped} says why a run produced no clusters (too few buyers).
 */
public record ClusterRun(Points points, KMeans kmeans, Dbscan dbscan, String skipped) {

    /** k-means: the chosen k, its silhouette, the silhouette of every k tried, centroids (scaled), labels per point. */
    public record KMeans(int k, double silhouette, Map<Integer, Double> candidates, List<double[]> centroids, int[] labels) {
    }

    /** DBSCAN: its settings, one medoid per cluster, labels per point (-1: outlier, unassigned), points fitted. */
    public record Dbscan(double eps, int minPts, List<UserPoint> medoids, int[] labels, int fitted) {
        public long outliers() {
            return java.util.Arrays.stream(labels).filter(l -> l < 0).count();
        }
    }

    /** A cluster as GET /v1/segments/clusters and the segment_cluster table describe it. */
    public record Described(String segmentId, String algorithm, int label, long size, Map<String, Object> description) {
    }

    public static String kmeansId(int label) {
        return "cluster:kmeans:" + label;
    }

    public static String dbscanId(int label) {
        return "cluster:dbscan:" + label;
    }

    /** Every clustered user's segments (k-means always, DBSCAN unless an outlier), with reason and evidence. */
    public Map<String, List<RecordSegmentChanges.Change>> memberships() {
        Map<String, List<RecordSegmentChanges.Change>> out = new TreeMap<>();
        if (kmeans == null) {
            return out;
        }
        List<UserPoint> list = points.points();
        for (int i = 0; i < list.size(); i++) {
            UserPoint p = list.get(i);
            List<RecordSegmentChanges.Change> changes = out.computeIfAbsent(p.userId(), u -> new ArrayList<>());
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("algorithm", "kmeans");
            evidence.put("k", kmeans.k());
            evidence.putAll(p.features());
            int label = kmeans.labels()[i];
            changes.add(new RecordSegmentChanges.Change(kmeansId(label), "nearest k-means centroid: cluster " + label + " of " + kmeans.k(), evidence));
            int dense = dbscan.labels()[i];
            if (dense >= 0) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("algorithm", "dbscan");
                e.put("eps", dbscan.eps());
                e.put("minPts", dbscan.minPts());
                e.putAll(p.features());
                changes.add(new RecordSegmentChanges.Change(dbscanId(dense), "in DBSCAN dense region " + dense, e));
            }
        }
        return out;
    }

    /** The clusters in original units: k-means centroids (unscaled) and DBSCAN medoids (a real user's features). */
    public List<Described> described() {
        List<Described> out = new ArrayList<>();
        if (kmeans == null) {
            return out;
        }
        long[] sizes = new long[kmeans.k()];
        for (int l : kmeans.labels()) {
            sizes[l]++;
        }
        for (int c = 0; c < kmeans.k(); c++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("centroid", ClusterFeatures.named(points.scaling().unscale(kmeans.centroids().get(c))));
            out.add(new Described(kmeansId(c), "kmeans", c, sizes[c], d));
        }
        long[] dense = new long[dbscan.medoids().size()];
        for (int l : dbscan.labels()) {
            if (l >= 0) {
                dense[l]++;
            }
        }
        for (int c = 0; c < dense.length; c++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("medoidUserId", dbscan.medoids().get(c).userId());
            d.put("medoid", dbscan.medoids().get(c).features());
            out.add(new Described(dbscanId(c), "dbscan", c, dense[c], d));
        }
        return out;
    }

    /** How the run was made: features and their scaling, k candidates, DBSCAN settings and outliers. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("users", points.points().size());
        r.put("features", ClusterFeatures.NAMES);
        r.put("transform", List.of("log1p", "log1p", "signed log1p", "none", "none (already a log ratio)"));
        r.put("mean", points.scaling().mean());
        r.put("sd", points.scaling().sd());
        if (skipped != null) {
            r.put("skipped", skipped);
            return r;
        }
        r.put("kmeans", Map.of("k", kmeans.k(), "silhouette", Math.round(kmeans.silhouette() * 10_000) / 10_000.0,
                "silhouetteByK", kmeans.candidates()));
        r.put("dbscan", Map.of("eps", dbscan.eps(), "minPts", dbscan.minPts(), "clusters", dbscan.medoids().size(),
                "outliers", dbscan.outliers(), "fitted", dbscan.fitted()));
        return r;
    }
}
