package io.ulm.winback;

import io.ulm.lifecycle.api.ActivityRecorded;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what {@link CampaignResults} computes from: the campaign's episodes ({@code winback_entry}), its reminders and
 * offers (the outbox, sent or not: an action is what the campaign did), and the returned users' purchases and refunds
 * from the event log (not a read model: the log is the truth and a replay cannot make it lag).
 */
@ApplicationScoped
public class WinbackResults {

    private final DataSource dataSource;
    private final WinbackLog log;

    WinbackResults(DataSource dataSource, WinbackLog log) {
        this.dataSource = dataSource;
        this.log = log;
    }

    public CampaignResults.Results results(WinbackPolicy policy, double confidence) {
        List<CampaignResults.Episode> episodes = episodes(policy.campaignId());
        List<String> returned = episodes.stream().filter(e -> e.outcome() == Outcome.WON_BACK).map(CampaignResults.Episode::userId)
                .distinct().toList();
        Map<String, List<CampaignResults.Money>> money = new HashMap<>();
        if (!returned.isEmpty()) {
            log.read(returned, Set.of(ActivityRecorded.class), (user, event) -> {
                ActivityRecorded a = (ActivityRecorded) event;
                if (a.revenue() != null && a.kind() != null && (a.kind().purchase() || a.kind().refund())) {
                    money.computeIfAbsent(user, u -> new ArrayList<>()).add(new CampaignResults.Money(a.at(),
                            a.kind().refund() ? a.revenue().abs().negate() : a.revenue()));
                }
            });
        }
        return CampaignResults.compute(policy, episodes, messages(policy.campaignId()), money, confidence);
    }

    private List<CampaignResults.Episode> episodes(String campaignId) {
        List<CampaignResults.Episode> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, arm, entered_at, ended_at, outcome, historic FROM winback_entry WHERE campaign_id = ?")) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime ended = rs.getObject(4, OffsetDateTime.class);
                    out.add(new CampaignResults.Episode(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            ended == null ? null : ended.toInstant(), rs.getString(5) == null ? null : Outcome.valueOf(rs.getString(5)),
                            rs.getBoolean(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the episodes of " + campaignId, e);
        }
        return out;
    }

    private CampaignResults.Messages messages(String campaignId) {
        Map<String, Long> reminders = new HashMap<>();
        Map<String, Long> offers = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT msg_key, payload->>'type', count(*) FROM outbox
                WHERE topic = ? AND payload->>'campaignId' = ? AND payload->>'type' IN ('WinbackReminderSent', 'WinbackOfferSent')
                GROUP BY 1, 2
                """)) {
            ps.setString(1, WinbackStore.TOPIC);
            ps.setString(2, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ("WinbackOfferSent".equals(rs.getString(2)) ? offers : reminders).put(rs.getString(1), rs.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the actions of " + campaignId, e);
        }
        return new CampaignResults.Messages(reminders, offers, skipped(campaignId));
    }

    /** Steps of the campaign's live episodes skipped as history, per user (a historic episode's are counted with it). */
    private Map<String, Long> skipped(String campaignId) {
        Map<String, Long> skipped = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT s.user_id, count(*) FROM winback_skipped s JOIN winback_entry e ON e.winback_id = s.winback_id
                WHERE s.campaign_id = ? AND NOT e.historic GROUP BY 1
                """)) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    skipped.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the skipped steps of " + campaignId, e);
        }
        return skipped;
    }
}
