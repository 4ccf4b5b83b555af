package io.ulm.audit;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The win-back episodes a user's messages ended WON_BACK ({@code winback_entry.return_message_id}, written by the saga
 * with the outcome), by message id, for the timeline. The episodes are the saga's records, never rebuilt by a replay,
 * so the attribution and its event times stay what they were when she came back.
 */
@ApplicationScoped
class WinbackReturns {

    private final DataSource dataSource;

    WinbackReturns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Map<String, Timeline.WinbackReturn> of(String userId) {
        Map<String, Timeline.WinbackReturn> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT return_message_id, winback_id, campaign_id, arm, outcome, entered_at, ended_at FROM winback_entry
                WHERE user_id = ? AND return_message_id IS NOT NULL
                """)) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Timeline.WinbackReturn(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(),
                            rs.getObject(7, OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the win-back returns of " + userId, e);
        }
        return out;
    }
}
