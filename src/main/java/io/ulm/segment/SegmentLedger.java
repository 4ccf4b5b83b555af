package io.ulm.segment;

import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The evaluation job's own tables (V9__segments.sql): runs, the ledger of current memberships the next run
 * diffs against, and the latest cluster descriptions. JDBC on the caller's transaction when there is one.
 */
@ApplicationScoped
public class SegmentLedger {

    /** One PostgreSQL advisory lock key for "a segment evaluation is running" (ASCII "ULM_SEGS"). */
    private static final long LOCK_KEY = 0x554c4d5f53454753L;

    /** The last finished run: its watermark and when it started; when the last clustering run started. */
    public record Last(Instant watermark, Instant startedAt, Instant clusteredAt) {
    }

    private final DataSource dataSource;

    SegmentLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the cluster-wide evaluation lock on a connection of its own (session level: a dead node frees it). */
    static boolean lock(Connection c, boolean wait) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(wait ? "SELECT pg_advisory_lock(?), true" : "SELECT true, pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(2);
            }
        }
    }

    static void unlock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    Last last() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT watermark FROM segment_evaluation WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1),
                       (SELECT started_at FROM segment_evaluation WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1),
                       (SELECT max(started_at) FROM segment_evaluation WHERE finished_at IS NOT NULL AND clustered)""")) {
            rs.next();
            return rs.getTimestamp(1) == null ? null : new Last(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)));
        }
    }

    long begin(Instant watermark, String trigger, boolean clustered) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO segment_evaluation (watermark, trigger, clustered) VALUES (?, ?, ?) RETURNING id")) {
            ps.setObject(1, watermark.atOffset(ZoneOffset.UTC));
            ps.setString(2, trigger);
            ps.setBoolean(3, clustered);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every user's current segments as the evaluations recorded them. */
    Map<String, Set<String>> current() throws SQLException {
        Map<String, Set<String>> current = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT user_id, segment_id FROM segment_ledger")) {
            while (rs.next()) {
                current.computeIfAbsent(rs.getString(1), u -> new TreeSet<>()).add(rs.getString(2));
            }
        }
        return current;
    }

    /** Records entries and exits (user, segment pairs) in the caller's transaction, with the events. */
    void apply(List<String[]> entered, List<String[]> left) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            pairs(c, "DELETE FROM segment_ledger l USING unnest(?::text[], ?::text[]) AS x(s, u) WHERE l.segment_id = x.s AND l.user_id = x.u", left);
            pairs(c, "INSERT INTO segment_ledger (segment_id, user_id) SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT DO NOTHING", entered);
        }
    }

    private static void pairs(Connection c, String sql, List<String[]> pairs) throws SQLException {
        if (pairs.isEmpty()) {
            return;
        }
        List<String> segments = new ArrayList<>();
        List<String> users = new ArrayList<>();
        pairs.forEach(p -> {
            segments.add(p[0]);
            users.add(p[1]);
        });
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", segments.toArray()));
            ps.setArray(2, c.createArrayOf("text", users.toArray()));
            ps.execute();
        }
    }

    void finish(long id, long users, long entered, long left, Map<String, Object> summary) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE segment_evaluation SET finished_at = now(), users = ?, entered = ?, \"left\" = ?, summary = ?::jsonb WHERE id = ?")) {
            ps.setLong(1, users);
            ps.setLong(2, entered);
            ps.setLong(3, left);
            ps.setString(4, Json.mapper().writeValueAsString(summary));
            ps.setLong(5, id);
            ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the cluster descriptions with those of a new clustering run. */
    void replaceClusters(long evaluation, Instant watermark, ClusterRun run) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM segment_cluster");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_cluster (segment_id, algorithm, label, size, evaluation, "
                    + "watermark, description) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                for (ClusterRun.Described d : run.described()) {
                    ps.setString(1, d.segmentId());
                    ps.setString(2, d.algorithm());
                    ps.setInt(3, d.label());
                    ps.setLong(4, d.size());
                    ps.setLong(5, evaluation);
                    ps.setObject(6, watermark.atOffset(ZoneOffset.UTC));
                    ps.setString(7, Json.mapper().writeValueAsString(d.description()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO segment_clustering (id, evaluation, watermark, report) VALUES (1, ?, ?, ?::jsonb)
                    ON CONFLICT (id) DO UPDATE SET evaluation = EXCLUDED.evaluation, watermark = EXCLUDED.watermark, report = EXCLUDED.report""")) {
                ps.setLong(1, evaluation);
                ps.setObject(2, watermark.atOffset(ZoneOffset.UTC));
                ps.setString(3, Json.mapper().writeValueAsString(run.report()));
                ps.executeUpdate();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code table} (a checked identifier) exists with the columns user_id, category and weight. */
    boolean hasInterestTable(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(?) AND NOT attisdropped
                AND attname IN ('user_id', 'category', 'weight')""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 3;
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
