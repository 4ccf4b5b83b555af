package io.ulm.lifecycle;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the stage rules need to know about one user: the decided stage, the cursor up to which the
 * rules have run, and the recent messages in event-time order. Rebuilt from the user's events and
 * kept in snapshots; it holds no wall-clock time.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class LifecycleHistory {

    private Stage stage;
    private Instant acquiredAt;
    /** Start of the user's current life: acquisition, or the last reactivation. */
    private Instant lifeStart;
    /** The last activity at or before the cursor. */
    private Instant lastActivityAt;
    private Cursor cursor;
    private final List<LogEntry> entries = new ArrayList<>();

    public Stage stage() {
        return stage;
    }

    public Instant acquiredAt() {
        return acquiredAt;
    }

    public Instant lifeStart() {
        return lifeStart;
    }

    public Instant lastActivityAt() {
        return lastActivityAt;
    }

    public Cursor cursor() {
        return cursor;
    }

    public List<LogEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** True when the rules have already decided past this message: it can no longer change the past. */
    public boolean isLate(LogEntry entry) {
        return cursor != null && !cursor.before(entry.cursor(Cursor.LADDER));
    }

    /** True when this message (same instant and id) is already in the history. */
    public boolean contains(LogEntry entry) {
        return Collections.binarySearch(entries, entry, LogEntry.ORDER) >= 0;
    }

    /** Adds a message in event-time order; a message already present is ignored. */
    public void record(LogEntry entry) {
        int index = Collections.binarySearch(entries, entry, LogEntry.ORDER);
        if (index < 0) {
            entries.add(-index - 1, entry);
        }
    }

    /** Moves to the transition's stage and cursor. */
    public void apply(Stage to, Instant at, Cursor newCursor, Instant lastActivity) {
        if (to == Stage.ACQUIRED) {
            acquiredAt = at;
            lifeStart = at;
        } else if (to == Stage.REACTIVATED) {
            lifeStart = at;
        }
        stage = to;
        cursor = newCursor;
        lastActivityAt = lastActivity;
    }

    /** Forgets the decided messages older than any rule looks back ({@code horizon} before the cursor). */
    public void trim(Duration horizon) {
        if (cursor == null) {
            return;
        }
        Instant keepFrom = cursor.at().minus(horizon);
        entries.removeIf(e -> e.at().isBefore(keepFrom) && e.cursor(Cursor.LADDER).before(cursor));
    }
}
