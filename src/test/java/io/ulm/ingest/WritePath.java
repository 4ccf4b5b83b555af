package io.ulm.ingest;

import io.ulm.support.E2e;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * What ingestion wrote, read straight from the tables its one transaction per request writes: the event store
 * ({@code domain_event_entry}, snapshots), message ids ({@code ingest_message}), identity links, lifecycle schedule
 * rows and personal-data keys. An ingestion request commits before it answers, so right after the answer these
 * tables tell, without waiting for any projection, whether a message was stored (once) or nothing of it was.
 */
final class WritePath {

    private final DataSource db;

    WritePath(DataSource db) {
        this.db = db;
    }

    /** The newest event's position: events a request appends after this call lie above it. */
    long mark() {
        return E2e.count(db, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
    }

    /** Discrepancies unless message {@code messageId} of {@code user} is recorded once: one claim, one event in her stream. */
    List<String> storedOnce(String user, String messageId) {
        List<String> failures = new ArrayList<>();
        long claims = E2e.count(db, "SELECT count(*) FROM ingest_message WHERE message_id = ? AND user_id = ?", messageId, user);
        if (claims != 1) {
            failures.add("stored: expected one ingest_message row for " + messageId + " of " + user + ", found " + claims);
        }
        // UserAcquired and IdentityLinked name the message that caused them; every other event naming it records it
        long events = E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND convert_from(payload, 'UTF8')::jsonb ->> 'messageId' = ? "
                + "AND payload_type NOT LIKE '%.UserAcquired' AND payload_type NOT LIKE '%.IdentityLinked'", user, messageId);
        if (events != 1) {
            failures.add("stored once: expected one event of " + user + " recording " + messageId + ", found " + events);
        }
        return failures;
    }

    /**
     * Discrepancies unless none of {@code ids} (user ids, other ids, message ids) was written anywhere on the write path:
     * no stream, snapshot, claim, identity link, schedule row or key of theirs, and no event appended since {@code mark}
     * (by the request under test) mentioning one of them.
     */
    List<String> nothingOf(long mark, List<String> ids) {
        List<String> failures = new ArrayList<>();
        check(failures, "events in their streams", "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ANY(?)", ids);
        check(failures, "snapshots", "SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ANY(?)", ids);
        check(failures, "ingest_message rows", "SELECT count(*) FROM ingest_message WHERE message_id = ANY(?) OR user_id = ANY(?)", ids, ids);
        check(failures, "identity links", "SELECT count(*) FROM identity_link WHERE linked_id = ANY(?) OR user_id = ANY(?)", ids, ids);
        check(failures, "lifecycle_schedule rows", "SELECT count(*) FROM lifecycle_schedule WHERE user_id = ANY(?)", ids);
        check(failures, "personal-data keys", "SELECT count(*) FROM keyvault.user_key WHERE user_id = ANY(?)", ids);
        for (String id : ids) {
            long mentions = E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE global_index > ? "
                    + "AND strpos(convert_from(payload, 'UTF8'), ?) > 0", mark, id);
            if (mentions > 0) {
                failures.add("expected nothing stored, but " + mentions + " new event(s) mention " + id);
            }
        }
        return failures;
    }

    private void check(List<String> failures, String what, String sql, Object... params) {
        long found = E2e.count(db, sql, params);
        if (found > 0) {
            failures.add("expected nothing stored, but found " + found + " " + what + " of " + params[0]);
        }
    }
}
