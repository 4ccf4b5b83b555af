package io.ulm.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.platform.Json;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The simulator's view of what ULM's win-back sagas did to simulated users: the {@code outbox} rows of
 * {@code winback-actions} whose key starts with the simulation's id prefix, read incrementally by id (sent to Kafka or
 * not: the outbox is the record). A user's first treatment action (reminder or offer) is her treatment on its arm,
 * dated at its event time; a {@code WinbackStarted} in the holdout records her as picked and untreated (the holdout
 * never gets a treatment, because the saga writes none for it). Later actions of the same user are not handed out
 * (the simulator applies one treatment per user). Treatments dated after the simulator's {@code now} wait until due.
 */
public final class OutboxTreatments implements TreatmentSource {

    private static final String READ = """
            SELECT id, payload::text FROM outbox WHERE id > ? AND topic = 'winback-actions' AND msg_key LIKE ?
            AND payload->>'type' IN ('WinbackStarted', 'WinbackReminderSent', 'WinbackOfferSent') ORDER BY id LIMIT 5000
            """;

    private final DataSource dataSource;
    private final String keyPattern;
    private final List<Treatment> pending = new ArrayList<>();
    private final Set<String> handed = new HashSet<>();
    private long lastId;

    /** Reads the actions of users whose id starts with {@code idPrefix + "-"} (the simulator's user ids). */
    public OutboxTreatments(DataSource dataSource, String idPrefix) {
        this.dataSource = dataSource;
        this.keyPattern = idPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%";
    }

    @Override
    public synchronized List<Treatment> poll(Instant now) {
        read();
        List<Treatment> due = pending.stream().filter(t -> !t.at().isAfter(now))
                .sorted(Comparator.comparing(Treatment::at).thenComparing(Treatment::userId)).toList();
        pending.removeAll(due);
        return due;
    }

    private void read() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(READ)) {
            boolean more = true;
            while (more) {
                ps.setLong(1, lastId);
                ps.setString(2, keyPattern);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        lastId = rs.getLong(1);
                        accept(Json.mapper().readTree(rs.getString(2)));
                    }
                }
                more = rows == 5000;
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not read the win-back outbox", e);
        }
    }

    private void accept(JsonNode action) {
        String user = action.path("userId").asText();
        String arm = action.path("arm").asText();
        boolean holdout = Treatment.HOLDOUT.equals(arm);
        boolean treatment = !"WinbackStarted".equals(action.path("type").asText());
        if ((holdout && treatment) || (!holdout && !treatment) || !handed.add(user)) {
            return;
        }
        pending.add(new Treatment(user, Instant.parse(action.path("at").asText()), arm));
    }
}
