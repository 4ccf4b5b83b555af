package io.ulm.lifecycle;

import java.time.Instant;
import java.util.Comparator;

/**
 * One message as the stage rules see it: when it happened, its id (the tie-breaker between
 * messages with the same timestamp) and how it was classified.
 */
public record LogEntry(Instant at, String messageId, ActivityKind kind) {

    /** Event-time order; message ids break ties so that every node sorts the same way. */
    public static final Comparator<LogEntry> ORDER =
            Comparator.comparing(LogEntry::at).thenComparing(LogEntry::messageId);

    public Cursor cursor(int phase) {
        return new Cursor(at, messageId, phase);
    }
}
