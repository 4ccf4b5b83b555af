package io.ulm.model.recsys;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Dense int indexes for string ids: index = position of the id in the sorted list of distinct ids. Sorting makes the
 * mapping deterministic, so indexes (and exported factor rows) are reproducible from the ids alone.
 */
public final class IdIndex {

    private final String[] ids;

    private IdIndex(String[] sortedDistinct) {
        this.ids = sortedDistinct;
    }

    public static IdIndex of(Collection<String> ids) {
        return new IdIndex(ids.stream().distinct().sorted().toArray(String[]::new));
    }

    public int size() {
        return ids.length;
    }

    /** The index of the id, or -1 when unknown. */
    public int index(String id) {
        int found = Arrays.binarySearch(ids, id);
        return found >= 0 ? found : -1;
    }

    public String id(int index) {
        return ids[index];
    }

    /** The ids in index order (the id mapping of exported models). */
    public List<String> ids() {
        return List.of(ids);
    }
}
