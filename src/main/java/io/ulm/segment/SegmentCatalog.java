package io.ulm.segment;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the segment endpoints answer: the known segments with their definitions and sizes, and the JSON shapes. */
@ApplicationScoped
public class SegmentCatalog {

    private final RuleDefinitions rules;

    SegmentCatalog(RuleDefinitions rules) {
        this.rules = rules;
    }

    /** True for an id that names a segment even when it has no member (RFM, a current rule, a cluster id). */
    boolean known(String id) {
        if (id.matches("cluster:(kmeans|dbscan):[0-9]{1,4}")) {
            return true;
        }
        for (Rfm.Named n : Rfm.Named.values()) {
            if (n.segmentId().equals(id)) {
                return true;
            }
        }
        return rules.current().stream().anyMatch(d -> d.segmentId().equals(id));
    }

    /** GET /v1/segments: RFM, rules, clusters (then ids that still have members but are no longer defined). */
    Map<String, Object> overview(SegmentQueries.Overview o) {
        Map<String, Long> sizes = new TreeMap<>(o.sizes());
        List<Map<String, Object>> segments = new ArrayList<>();
        for (Rfm.Named n : Rfm.Named.values()) {
            segments.add(segment(n.segmentId(), "rfm", n.title, n.description(), sizes.remove(n.segmentId()), null));
        }
        Map<String, String> skipped = new TreeMap<>();
        if (o.lastEvaluation() != null) {
            o.lastEvaluation().path("skipped").forEach(s -> skipped.put(s.path("segmentId").asText(), s.path("reason").asText()));
        }
        for (RuleDefinition d : rules.current()) {
            Map<String, Object> s = segment(d.segmentId(), "rule", d.name(), d.description(), sizes.remove(d.segmentId()), null);
            s.put("file", d.file());
            s.put("version", d.version());
            if (skipped.containsKey(d.segmentId())) {
                s.put("skipped", skipped.get(d.segmentId()));
            }
            segments.add(s);
        }
        for (SegmentQueries.StoredCluster c : o.clusters()) {
            String name = (c.algorithm().equals("kmeans") ? "k-means cluster " : "DBSCAN dense region ") + c.label();
            segments.add(segment(c.segmentId(), "cluster", name, c.algorithm().equals("kmeans") ? "nearest to this centroid"
                    : "density-connected users around this medoid", sizes.remove(c.segmentId()), c.description()));
        }
        sizes.forEach((id, size) -> segments.add(segment(id, id.substring(0, id.indexOf(':')), id, "no longer defined", size, null)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lastEvaluation", o.lastEvaluation());
        body.put("segments", segments);
        return body;
    }

    private static Map<String, Object> segment(String id, String family, String name, String definition, Long size, JsonNode details) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("family", family);
        s.put("name", name);
        s.put("definition", definition);
        s.put("size", size == null ? 0 : size);
        if (details != null) {
            s.put("cluster", details);
        }
        return s;
    }

    /** GET /v1/segments/clusters: the clustering report with the clusters' descriptions, k-means then DBSCAN. */
    static Map<String, Object> clusters(SegmentQueries.Overview o) {
        Map<String, Object> body = new LinkedHashMap<>();
        JsonNode c = o.clustering();
        body.put("evaluation", c == null ? null : c.path("evaluation").asLong());
        body.put("watermark", c == null ? null : c.path("watermark").asText());
        JsonNode report = c == null ? null : c.path("report");
        body.put("report", report);
        List<Map<String, Object>> kmeans = new ArrayList<>();
        List<Map<String, Object>> dbscan = new ArrayList<>();
        for (SegmentQueries.StoredCluster s : o.clusters()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("segmentId", s.segmentId());
            d.put("size", s.size());
            s.description().fields().forEachRemaining(f -> d.put(f.getKey(), f.getValue()));
            (s.algorithm().equals("kmeans") ? kmeans : dbscan).add(d);
        }
        body.put("kmeans", kmeans);
        body.put("dbscan", dbscan);
        return body;
    }

    static Map<String, Object> member(String segmentId, String userId, Instant since, long evaluation, String reason, Object evidence) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (segmentId != null) {
            m.put("segmentId", segmentId);
        }
        if (userId != null) {
            m.put("userId", userId);
        }
        m.put("since", since);
        m.put("evaluation", evaluation);
        m.put("reason", reason);
        m.put("evidence", evidence);
        return m;
    }

    static Map<String, Object> user(String userId, List<Map<String, Object>> segments, Instant asOf) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("segments", segments);
        if (asOf != null) {
            body.put("asOf", asOf);
        }
        return body;
    }
}
