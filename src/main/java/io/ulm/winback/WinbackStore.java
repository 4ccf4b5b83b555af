package io.ulm.winback;

import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The saga's tables ({@code V12__winback.sql}): episodes ({@code winback_entry}), event-time waits ({@code winback_step})
 * and the transactional {@code outbox}. Every method joins the caller's JTA transaction (the saga processor's unit of
 * work), so the rows commit with the saga state and the processor's token, or not at all.
 */
@ApplicationScoped
public class WinbackStore {

    public static final String TOPIC = "winback-actions";

    private final DataSource dataSource;

    WinbackStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether an episode is running, and when her last one ended (null: never). */
    public record History(boolean active, Instant lastEndedAt) {
    }

    /** Her episodes of every campaign as of now: whether one is running, and when the last one ended (the user-level cap). */
    public History history(String userId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT bool_or(ended_at IS NULL), max(ended_at) FROM winback_entry WHERE user_id = ?
                """)) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp last = rs.getTimestamp(2);
                return new History(rs.getBoolean(1), last == null ? null : last.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read win-back history of " + userId, e);
        }
    }

    /** Her personal-data key was destroyed (erasure, docs/decisions/0005). */
    public boolean erased(String userId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM keyvault.user_key WHERE user_id = ? AND destroyed_at IS NOT NULL")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the key of " + userId, e);
        }
    }

    /**
     * Records the episode, judged against the watermark {@code judgedAt} ({@code historic}: over by then, nothing is
     * sent); false when it exists already (the trigger was delivered again).
     */
    public boolean enter(String winbackId, String campaignId, String userId, String arm, Trigger trigger, Instant at,
                         Instant judgedAt, boolean historic) {
        return update("""
                INSERT INTO winback_entry (winback_id, campaign_id, user_id, arm, trigger, entered_at, judged_at, historic)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (winback_id) DO NOTHING
                """, winbackId, campaignId, userId, arm, trigger.name(), at, judgedAt, historic) == 1;
    }

    /** A step not sent because it was history when judged (never in the outbox); once per action id. */
    public void skipped(String actionId, String winbackId, String campaignId, String userId, String type, int step, Instant at,
                        Instant judgedAt) {
        update("""
                INSERT INTO winback_skipped (action_id, winback_id, campaign_id, user_id, type, step, at, reason, judged_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'historic', ?) ON CONFLICT (action_id) DO NOTHING
                """, actionId, winbackId, campaignId, userId, type, step, at, judgedAt);
    }

    /** Ends the episode; {@code returnMessageId} is the activity that won her back (null when LOST). */
    public void end(String winbackId, Outcome outcome, Instant at, String returnMessageId) {
        update("UPDATE winback_entry SET ended_at = ?, outcome = ?, return_message_id = ? WHERE winback_id = ? AND ended_at IS NULL",
                at, outcome.name(), returnMessageId, winbackId);
        update("DELETE FROM winback_step WHERE winback_id = ?", winbackId);
    }

    /** The episode's next wait: step {@code step} is due when the watermark reaches {@code dueAt}. */
    public void schedule(String winbackId, String userId, int step, Instant dueAt) {
        update("""
                INSERT INTO winback_step (winback_id, user_id, step, due_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (winback_id) DO UPDATE SET step = excluded.step, due_at = excluded.due_at
                """, winbackId, userId, step, dueAt);
    }

    /** Adds an action to the outbox once: a second call with the same id (a redelivery) inserts nothing. */
    public boolean action(String actionId, String userId, Object payload) {
        return update("""
                INSERT INTO outbox (action_id, topic, msg_key, payload) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT (action_id) DO NOTHING
                """, actionId, TOPIC, userId, json(payload)) == 1;
    }

    private static String json(Object payload) {
        try {
            return Json.mapper().writeValueAsString(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + payload, e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof Instant instant) {
                    ps.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Win-back write failed: " + sql, e);
        }
    }

}
