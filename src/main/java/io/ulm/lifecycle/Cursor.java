package io.ulm.lifecycle;

import java.time.Instant;
import java.util.Comparator;

/**
 * A point in a user's event-time history up to which the stage rules have decided. Each message is
 * decided in three phases: before it (inactivity that elapsed, acquisition), reactivation by it,
 * then the value ladder. An inactivity transition at instant t sorts before every message at t.
 */
public record Cursor(Instant at, String messageId, int phase) implements Comparable<Cursor> {

    public static final int BEFORE = 0;
    public static final int REACTIVATION = 1;
    public static final int LADDER = 2;

    private static final Comparator<Cursor> ORDER = Comparator.comparing(Cursor::at)
            .thenComparing(Cursor::messageId)
            .thenComparingInt(Cursor::phase);

    /** The cursor of an inactivity transition at {@code at}: before any message at that instant. */
    public static Cursor inactivity(Instant at) {
        return new Cursor(at, "", BEFORE);
    }

    @Override
    public int compareTo(Cursor other) {
        return ORDER.compare(this, other);
    }

    public boolean before(Cursor other) {
        return compareTo(other) < 0;
    }
}
