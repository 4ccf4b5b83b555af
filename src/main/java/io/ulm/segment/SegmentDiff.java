package io.ulm.segment;

import io.ulm.lifecycle.api.RecordSegmentChanges;
import io.ulm.lifecycle.api.RecordSegmentChanges.Change;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changes between the memberships on record (the ledger) and what an evaluation found. Only the families
 * the evaluation computed are compared: cluster memberships stay when the run did not re-cluster, and a rule
 * segment that could not be evaluated keeps its members. An exit says what the user is instead.
 */
final class SegmentDiff {

    /** One user's entries and exits. */
    record UserChanges(List<Change> entered, List<Change> left) {
        RecordSegmentChanges command(String user, Instant watermark, long evaluation) {
            return new RecordSegmentChanges(user, entered, left, watermark, evaluation);
        }
    }

    private SegmentDiff() {
    }

    static Map<String, UserChanges> diff(Desired desired, Map<String, Set<String>> current, boolean clustered,
                                         List<RuleDefinition> definitions) {
        Map<String, RuleDefinition> rules = new TreeMap<>();
        definitions.forEach(d -> rules.put(d.segmentId(), d));
        Set<String> users = new TreeSet<>(desired.byUser().keySet());
        users.addAll(current.keySet());
        Map<String, UserChanges> changes = new TreeMap<>();
        for (String user : users) {
            Map<String, Change> want = desired.byUser().getOrDefault(user, Map.of());
            List<Change> entered = new ArrayList<>();
            List<Change> left = new ArrayList<>();
            Set<String> have = current.getOrDefault(user, Set.of());
            for (String segment : have) {
                if (evaluated(segment, desired, clustered) && !want.containsKey(segment)) {
                    left.add(exit(segment, want, rules));
                }
            }
            for (Change c : want.values()) {
                if (!have.contains(c.segmentId())) {
                    entered.add(c);
                }
            }
            if (!entered.isEmpty() || !left.isEmpty()) {
                changes.put(user, new UserChanges(entered, left));
            }
        }
        return changes;
    }

    private static boolean evaluated(String segment, Desired desired, boolean clustered) {
        if (segment.startsWith("rule:")) {
            return !desired.kept(segment);
        }
        return segment.startsWith("rfm:") || (clustered && segment.startsWith("cluster:"));
    }

    /** The exit, with the segment of the same family the user is in now (if any) as reason and evidence. */
    private static Change exit(String segment, Map<String, Change> want, Map<String, RuleDefinition> rules) {
        if (segment.startsWith("rule:")) {
            RuleDefinition d = rules.get(segment);
            return d == null ? new Change(segment, "definition removed", Map.of("rule", segment.substring("rule:".length())))
                    : new Change(segment, "no longer matches rule " + d.id(), Desired.evidence(d));
        }
        String family = segment.substring(0, segment.lastIndexOf(':') + 1); // rfm:, cluster:kmeans:, cluster:dbscan:
        for (Change now : want.values()) {
            if (now.segmentId().startsWith(family)) {
                return new Change(segment, "now " + now.segmentId() + " (" + now.reason() + ")", now.evidence());
            }
        }
        String why = segment.startsWith("rfm:") ? "no purchase by the watermark"
                : segment.startsWith("cluster:dbscan:") ? "an outlier (in no dense region) in the latest DBSCAN run"
                : "not clustered in the latest run";
        return new Change(segment, why, Map.of());
    }
}
