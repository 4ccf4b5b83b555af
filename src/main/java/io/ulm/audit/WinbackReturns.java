package io.ulm.audit;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * A user's win-back episodes ({@code winback_entry}) for the timeline: by the message that ended one WON_BACK
 * ({@code return_message_id}, written by the saga with the outcome) and by the event time of the trigger that started
 * one. The episodes are the saga's records, never rebuilt by a replay, so the attribution and its event times stay what
 * they were when she came back.
 */
@ApplicationScoped
class WinbackReturns {

    /** Her episodes by return message id, and by the trigger's event time. */
    record Episodes(Map<String, Timeline.WinbackReturn> byReturn, Map<Instant, Timeline.WinbackReturn> byTrigger) {
        boolean isEmpty() {
            return byTrigger.isEmpty();
        }

        /** The entry with the episode it ended (her return) or started (the trigger), else as it is. */
        Timeline.Entry attribute(Timeline.Entry e) {
            if ("ActivityRecorded".equals(e.type()) && e.messageId() != null && byReturn.containsKey(e.messageId())) {
                return e.attributed(byReturn.get(e.messageId()));
            }
            boolean trigger = "ChurnRiskRaised".equals(e.type()) || (Timeline.STAGE_CHANGED.equals(e.type())
                    && e.transitions().stream().anyMatch(t -> "AT_RISK".equals(t.to())));
            return trigger && byTrigger.containsKey(e.at()) ? e.attributed(byTrigger.get(e.at())) : e;
        }
    }

    private final DataSource dataSource;

    WinbackReturns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Episodes of(String userId) {
        Map<String, Timeline.WinbackReturn> byReturn = new HashMap<>();
        Map<Instant, Timeline.WinbackReturn> byTrigger = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT return_message_id, winback_id, campaign_id, arm, outcome, entered_at, ended_at, historic FROM winback_entry
                WHERE user_id = ?
                """)) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String returnMessage = rs.getString(1);
                    OffsetDateTime ended = rs.getObject(7, OffsetDateTime.class);
                    Timeline.WinbackReturn episode = new Timeline.WinbackReturn(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(),
                            returnMessage == null || ended == null ? null : ended.toInstant(), rs.getBoolean(8));
                    byTrigger.put(episode.enteredAt(), episode);
                    if (returnMessage != null) {
                        byReturn.put(returnMessage, episode);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the win-back episodes of " + userId, e);
        }
        return new Episodes(byReturn, byTrigger);
    }
}
