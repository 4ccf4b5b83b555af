package io.ulm.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule segment read from {@code projections/segments/<file>.yaml}: segment id {@code rule:<id>}, a name,
 * a description, the file it came from, a version (checksum of the file) and its condition.
 */
public record RuleDefinition(String id, String name, String description, String file, String version, Condition when) {

    public String segmentId() {
        return "rule:" + id;
    }

    /** Where the definition uses category interests (file:line), which need the features projection's table. */
    List<String> interestLocations() {
        List<String> found = new ArrayList<>();
        collect(when, found);
        return found;
    }

    private static void collect(Condition c, List<String> found) {
        if (c instanceof Condition.Interest i) {
            found.add(i.location());
        } else if (c instanceof Condition.All a) {
            a.conditions().forEach(x -> collect(x, found));
        } else if (c instanceof Condition.Any a) {
            a.conditions().forEach(x -> collect(x, found));
        } else if (c instanceof Condition.Not n) {
            collect(n.condition(), found);
        }
    }
}
