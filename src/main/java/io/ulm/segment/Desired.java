package io.ulm.segment;

import io.ulm.lifecycle.api.RecordSegmentChanges.Change;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one evaluation found: every user's segments at the watermark, each with its reason and evidence, the
 * size of every segment, and the rule segments it could not evaluate (their memberships are kept as they are).
 */
final class Desired {

    private final Map<String, Map<String, Change>> byUser = new TreeMap<>();
    private final Map<String, Long> sizes = new TreeMap<>();
    private final List<Map<String, String>> skipped = new ArrayList<>();
    private final Set<String> kept = new HashSet<>();

    void rfm(Rfm.Score s) {
        add(s.userId(), new Change(s.segment().segmentId(), s.reason(), s.evidence()));
    }

    void rule(RuleDefinition d, List<String> members) {
        sizes.putIfAbsent(d.segmentId(), 0L);
        Map<String, Object> evidence = evidence(d);
        for (String user : members) {
            add(user, new Change(d.segmentId(), "matches rule " + d.id(), evidence));
        }
    }

    void clusters(ClusterRun run) {
        run.memberships().forEach((user, changes) -> changes.forEach(c -> add(user, c)));
    }

    void skip(String segmentId, String reason) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("segmentId", segmentId);
        s.put("reason", reason);
        skipped.add(s);
        kept.add(segmentId);
    }

    static Map<String, Object> evidence(RuleDefinition d) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rule", d.id());
        evidence.put("file", d.file());
        evidence.put("version", d.version());
        return evidence;
    }

    private void add(String user, Change c) {
        byUser.computeIfAbsent(user, u -> new TreeMap<>()).put(c.segmentId(), c);
        sizes.merge(c.segmentId(), 1L, Long::sum);
    }

    Map<String, Map<String, Change>> byUser() {
        return byUser;
    }

    Map<String, Long> sizes() {
        return sizes;
    }

    List<Map<String, String>> skipped() {
        return skipped;
    }

    boolean kept(String segmentId) {
        return kept.contains(segmentId);
    }
}
