package io.ulm.analytics;

import io.ulm.lifecycle.api.StageChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Writes an {@link AnalyticsBatch} with batched JDBC statements on the caller's (JTA) transaction. */
@ApplicationScoped
public class AnalyticsWriter {

    /** The tables of this read model (compared by the replay audit, emptied by a reset). */
    static final List<String> TABLES = List.of("analytics_stage_transition", "analytics_activity_day", "analytics_acquisition");

    private static final String UPSERT_DAY = """
            INSERT INTO {s}analytics_activity_day (user_id, day, activities, purchases, refunds, revenue, refunded)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id, day) DO UPDATE SET
                activities = analytics_activity_day.activities + EXCLUDED.activities,
                purchases = analytics_activity_day.purchases + EXCLUDED.purchases,
                refunds = analytics_activity_day.refunds + EXCLUDED.refunds,
                revenue = analytics_activity_day.revenue + EXCLUDED.revenue,
                refunded = analytics_activity_day.refunded + EXCLUDED.refunded
            """;
    private static final String INSERT_TRANSITION = """
            INSERT INTO {s}analytics_stage_transition (user_id, seq, at, from_stage, to_stage, rule_id)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, seq) DO NOTHING
            """;
    private static final String UPSERT_ACQUISITION = """
            INSERT INTO {s}analytics_acquisition (user_id, acquired_at) VALUES (?, ?)
            ON CONFLICT (user_id) DO UPDATE SET acquired_at = LEAST(analytics_acquisition.acquired_at, EXCLUDED.acquired_at)
            """;

    private final DataSource dataSource;
    private final String schema;

    @Inject
    AnalyticsWriter(DataSource dataSource) {
        this(dataSource, "public");
    }

    private AnalyticsWriter(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** The same writer on copies of the tables in another schema (the replay audit's shadow tables). */
    AnalyticsWriter in(String otherSchema) {
        return new AnalyticsWriter(dataSource, otherSchema);
    }

    String schema() {
        return schema;
    }

    /** Re-keys the erased user's rows to her pseudonym (UserErased, docs/privacy.md): report counts stay. */
    java.util.Map<String, Integer> erase(String userId, String pseudonym) {
        return io.ulm.platform.privacy.UserRows.rekey(dataSource, schema, TABLES, userId, pseudonym);
    }

    void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", TABLES.stream().map(t -> schema + "." + t).toList()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the analytics read model", e);
        }
    }

    void write(AnalyticsBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            writeDays(c, batch);
            writeTransitions(c, batch);
            writeAcquisitions(c, batch);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the analytics batch", e);
        }
    }

    private String sql(String template) {
        return template.replace("{s}", schema + ".");
    }

    private void writeDays(Connection c, AnalyticsBatch batch) throws SQLException {
        if (batch.days().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_DAY))) {
            for (Map.Entry<AnalyticsBatch.DayKey, AnalyticsBatch.Day> e : batch.days().entrySet()) {
                AnalyticsBatch.Day d = e.getValue();
                ps.setString(1, e.getKey().userId());
                ps.setObject(2, e.getKey().day());
                ps.setLong(3, d.activities);
                ps.setLong(4, d.purchases);
                ps.setLong(5, d.refunds);
                ps.setBigDecimal(6, d.revenue);
                ps.setBigDecimal(7, d.refunded);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeTransitions(Connection c, AnalyticsBatch batch) throws SQLException {
        if (batch.transitions().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql(INSERT_TRANSITION))) {
            for (Map.Entry<AnalyticsBatch.TransitionKey, StageChanged> e : batch.transitions().entrySet()) {
                StageChanged t = e.getValue();
                ps.setString(1, e.getKey().userId());
                ps.setLong(2, e.getKey().seq());
                ps.setObject(3, utc(t.at()));
                ps.setString(4, t.from() == null ? null : t.from().name());
                ps.setString(5, t.to().name());
                ps.setString(6, t.ruleId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeAcquisitions(Connection c, AnalyticsBatch batch) throws SQLException {
        if (batch.acquisitions().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_ACQUISITION))) {
            for (Map.Entry<String, Instant> e : batch.acquisitions().entrySet()) {
                ps.setString(1, e.getKey());
                ps.setObject(2, utc(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static java.time.OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
