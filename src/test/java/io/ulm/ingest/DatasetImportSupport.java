package io.ulm.ingest;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers for the real-data import tests: locating the shared data sets (a missing one fails the
 * test, it never skips), and reading the read model for the users of one data set only (the
 * Quarkus tests of a run share one application and one database).
 */
final class DatasetImportSupport {

    private DatasetImportSupport() {
    }

    /** {@code ${shared.dir}/datasets/<relative>}, or a failed test saying what is missing. */
    static Path dataset(String relative) {
        String shared = System.getProperty("shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("System property shared.dir is not set (surefire sets it to ../shared); cannot find the data set " + relative);
        }
        Path file = Path.of(shared, "datasets", relative).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            fail("Data set " + relative + " not found at " + file + " (see ../shared/datasets/README.md); this test needs it");
        }
        return file;
    }

    static InputStream gunzip(Path file) throws IOException {
        return new GZIPInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** What the projection has to show once it has caught up with the import, for these users. */
    record Progress(long users, long messages, long staged, long stagesBehindLog, long usersWithStageInLog) {
    }

    static Progress progress(DataSource ds, Collection<String> users) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Array ids = c.createArrayOf("text", users.toArray());
            long count;
            long messages;
            long staged;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), coalesce(sum(messages), 0), count(stage) FROM user_profile WHERE user_id = ANY(?)")) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                    messages = rs.getLong(2);
                    staged = rs.getLong(3);
                }
            }
            // the profile's stage must be the target of the user's latest StageChanged in the event log
            long behind;
            long inLog;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FILTER (WHERE p.stage IS DISTINCT FROM l.target), count(*)
                    FROM (SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier,
                                 convert_from(payload, 'UTF8')::jsonb ->> 'to' AS target
                          FROM domain_event_entry
                          WHERE aggregate_identifier = ANY(?) AND payload_type LIKE '%StageChanged'
                          ORDER BY aggregate_identifier, global_index DESC) l
                    LEFT JOIN user_profile p ON p.user_id = l.aggregate_identifier
                    """)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    behind = rs.getLong(1);
                    inLog = rs.getLong(2);
                }
            }
            return new Progress(count, messages, staged, behind, inLog);
        }
    }

    /**
     * Waits until every user has a profile whose message count adds up to {@code expectedMessages}
     * and whose stage is the last one the event log decided.
     */
    static Progress awaitProjection(DataSource ds, Collection<String> users, long expectedMessages, Duration atMost) {
        AtomicReference<Progress> last = new AtomicReference<>();
        long started = System.nanoTime();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                Progress p = progress(ds, users);
                last.set(p);
                return p.users() == users.size() && p.messages() == expectedMessages && p.staged() == users.size()
                        && p.usersWithStageInLog() == users.size() && p.stagesBehindLog() == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail("The user-profile projection did not catch up within " + atMost + ": expected " + users.size()
                    + " users with " + expectedMessages + " messages, all staged as the log says; last seen " + last.get());
        }
        System.out.printf("[dataset] projection caught up in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, last.get());
        return last.get();
    }

    /** The shared event-time clock (lifecycle_clock.max_event_time), or null before any event. */
    static Instant lifecycleClock(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max_event_time FROM lifecycle_clock WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            java.time.OffsetDateTime t = rs.next() ? rs.getObject(1, java.time.OffsetDateTime.class) : null;
            return t == null ? null : t.toInstant();
        }
    }

    /**
     * Stages are decided up to the shared clock, which only moves forward: when an earlier test of
     * the run imported later data, this data set's stages are as of that later time, not its own end.
     */
    static void noteClock(String label, Instant before, Instant datasetEnd) {
        if (before != null && datasetEnd != null && before.isAfter(datasetEnd)) {
            System.out.println("[" + label + "] NOTE: the lifecycle clock was already at " + before + " (other data imported earlier"
                    + " in this run), after this data set's end " + datasetEnd + ": its stages are decided as of " + before
                    + ", so the stage distribution below is NOT the one of the data set on its own");
        }
    }

    /** Sum of user_profile.late_messages of these users. */
    static long lateMessages(DataSource ds, Collection<String> users) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(sum(late_messages), 0) FROM user_profile WHERE user_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", users.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Stage -> users, for these users (in the order of the Stage enum where present). */
    static Map<String, Long> stageDistribution(DataSource ds, Collection<String> users) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (io.ulm.lifecycle.Stage s : io.ulm.lifecycle.Stage.values()) {
            counts.put(s.name(), 0L);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(stage, '(none)'), count(*) FROM user_profile WHERE user_id = ANY(?) GROUP BY 1")) {
            ps.setArray(1, c.createArrayOf("text", users.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** A digest of every read-model row of these users (profile, event counts, items, traits). */
    static Map<String, String> checksums(DataSource ds, Collection<String> users) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            Array ids = c.createArrayOf("text", users.toArray());
            for (String query : List.of(
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.user_id)), '') FROM user_profile t WHERE user_id = ANY(?)",
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.user_id, t.type, t.name)), '') FROM user_event_count t WHERE user_id = ANY(?)",
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.user_id, t.item_id)), '') FROM user_item t WHERE user_id = ANY(?)",
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.user_id, t.trait)), '') FROM user_trait t WHERE user_id = ANY(?)",
                    "SELECT count(*) || ':' || coalesce(max(global_index), -1) FROM domain_event_entry WHERE aggregate_identifier = ANY(?)")) {
                try (PreparedStatement ps = c.prepareStatement(query)) {
                    ps.setArray(1, ids);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String table = query.replaceAll(".* FROM (\\w+) .*", "$1");
                        sums.put(table, rs.getString(1));
                    }
                }
            }
        }
        return sums;
    }
}
