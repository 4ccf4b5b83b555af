package io.ulm.projection;

import io.ulm.lifecycle.api.StageChanged;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link ProfileBatch} with batched JDBC statements on the caller's (JTA) transaction. */
@ApplicationScoped
public class ProfileWriter {

    private static final String UPSERT_PROFILE = """
            INSERT INTO {s}user_profile (user_id, first_seen, last_seen, last_activity_at, acquired_at, messages, activities,
                late_messages, purchases, refunds, revenue, refunded, stage, stage_since, stage_rule, last_position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                first_seen = LEAST(user_profile.first_seen, EXCLUDED.first_seen),
                last_seen = GREATEST(user_profile.last_seen, EXCLUDED.last_seen),
                last_activity_at = GREATEST(user_profile.last_activity_at, EXCLUDED.last_activity_at),
                acquired_at = COALESCE(EXCLUDED.acquired_at, user_profile.acquired_at),
                messages = user_profile.messages + EXCLUDED.messages,
                activities = user_profile.activities + EXCLUDED.activities,
                late_messages = user_profile.late_messages + EXCLUDED.late_messages,
                purchases = user_profile.purchases + EXCLUDED.purchases,
                refunds = user_profile.refunds + EXCLUDED.refunds,
                revenue = user_profile.revenue + EXCLUDED.revenue,
                refunded = user_profile.refunded + EXCLUDED.refunded,
                stage = COALESCE(EXCLUDED.stage, user_profile.stage),
                stage_since = CASE WHEN EXCLUDED.stage IS NULL THEN user_profile.stage_since ELSE EXCLUDED.stage_since END,
                stage_rule = CASE WHEN EXCLUDED.stage IS NULL THEN user_profile.stage_rule ELSE EXCLUDED.stage_rule END,
                last_position = GREATEST(user_profile.last_position, EXCLUDED.last_position)
            """;
    private static final String UPSERT_COUNT = """
            INSERT INTO {s}user_event_count (user_id, type, name, n) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, type, name) DO UPDATE SET n = user_event_count.n + EXCLUDED.n
            """;
    private static final String INSERT_ITEMS = """
            WITH added AS (
                INSERT INTO {s}user_item (user_id, item_id) SELECT * FROM unnest(?::text[], ?::text[])
                ON CONFLICT DO NOTHING RETURNING user_id)
            UPDATE {s}user_profile p SET distinct_items = p.distinct_items + a.n
            FROM (SELECT user_id, count(*) AS n FROM added GROUP BY user_id) a WHERE p.user_id = a.user_id
            """;
    private static final String UPSERT_TRAIT = """
            INSERT INTO {s}user_trait (user_id, trait, value, at) VALUES (?, ?, ?::jsonb, ?)
            ON CONFLICT (user_id, trait) DO UPDATE SET value = EXCLUDED.value, at = EXCLUDED.at
            WHERE user_trait.at <= EXCLUDED.at
            """;
    private static final String INSERT_LINK = """
            INSERT INTO {s}user_identity (user_id, linked_id, via, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
            """;

    /** The tables of this read model, in the order a reset empties them. */
    static final List<String> TABLES = List.of("user_profile", "user_event_count", "user_item", "user_trait", "user_identity");

    private final DataSource dataSource;
    private final String schema;
    private final String upsertProfile;
    private final String upsertCount;
    private final String insertItems;
    private final String upsertTrait;
    private final String insertLink;

    @jakarta.inject.Inject
    ProfileWriter(DataSource dataSource) {
        this(dataSource, "public");
    }

    /** A writer on the same tables in another schema (the replay audit's shadow tables). */
    ProfileWriter(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.upsertProfile = UPSERT_PROFILE.replace("{s}", schema + ".");
        this.upsertCount = UPSERT_COUNT.replace("{s}", schema + ".");
        this.insertItems = INSERT_ITEMS.replace("{s}", schema + ".");
        this.upsertTrait = UPSERT_TRAIT.replace("{s}", schema + ".");
        this.insertLink = INSERT_LINK.replace("{s}", schema + ".");
    }

    ProfileWriter in(String otherSchema) {
        return new ProfileWriter(dataSource, otherSchema);
    }

    /** Drops the erased user's rows (UserErased, docs/privacy.md): the count per table. */
    java.util.Map<String, Integer> erase(String userId) {
        return io.ulm.platform.privacy.UserRows.delete(dataSource, schema, TABLES, userId);
    }

    /** Empties the profile read model (before a replay). */
    void reset() {
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", TABLES.stream().map(t -> schema + "." + t).toList()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the user profile read model", e);
        }
    }

    void write(ProfileBatch batch) {
        if (batch.users().isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            writeProfiles(c, batch);
            writeCounts(c, batch);
            writeItems(c, batch);
            writeTraits(c, batch);
            writeLinks(c, batch);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the user profile batch", e);
        }
    }

    private void writeProfiles(Connection c, ProfileBatch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertProfile)) {
            for (Map.Entry<String, ProfileBatch.Delta> u : batch.users().entrySet()) {
                ProfileBatch.Delta d = u.getValue();
                StageChanged s = d.stage;
                ps.setString(1, u.getKey());
                setInstant(ps, 2, d.firstSeen);
                setInstant(ps, 3, d.lastSeen);
                setInstant(ps, 4, d.lastActivityAt);
                setInstant(ps, 5, d.acquiredAt);
                ps.setLong(6, d.messages);
                ps.setLong(7, d.activities);
                ps.setLong(8, d.late);
                ps.setLong(9, d.purchases);
                ps.setLong(10, d.refunds);
                ps.setBigDecimal(11, d.revenue);
                ps.setBigDecimal(12, d.refunded);
                ps.setString(13, s == null ? null : s.to().name());
                setInstant(ps, 14, s == null ? null : s.at());
                ps.setString(15, s == null ? null : s.ruleId());
                ps.setLong(16, d.lastPosition);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeCounts(Connection c, ProfileBatch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertCount)) {
            for (Map.Entry<String, ProfileBatch.Delta> u : batch.users().entrySet()) {
                for (Map.Entry<String, Long> count : u.getValue().counts.entrySet()) {
                    String[] key = count.getKey().split("\u0000", 2);
                    ps.setString(1, u.getKey());
                    ps.setString(2, key[0]);
                    ps.setString(3, key[1]);
                    ps.setLong(4, count.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private void writeItems(Connection c, ProfileBatch batch) throws SQLException {
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        batch.users().forEach((user, d) -> d.items.forEach(item -> {
            users.add(user);
            items.add(item);
        }));
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(insertItems)) {
            Array u = c.createArrayOf("text", users.toArray());
            Array i = c.createArrayOf("text", items.toArray());
            ps.setArray(1, u);
            ps.setArray(2, i);
            ps.executeUpdate();
        }
    }

    private void writeTraits(Connection c, ProfileBatch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertTrait)) {
            for (Map.Entry<String, ProfileBatch.Delta> u : batch.users().entrySet()) {
                for (Map.Entry<String, ProfileBatch.Trait> t : u.getValue().traits.entrySet()) {
                    ps.setString(1, u.getKey());
                    ps.setString(2, t.getKey());
                    ps.setString(3, t.getValue().value().toString());
                    setInstant(ps, 4, t.getValue().at());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private void writeLinks(Connection c, ProfileBatch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertLink)) {
            for (Map.Entry<String, ProfileBatch.Delta> u : batch.users().entrySet()) {
                for (Map.Entry<String, ProfileBatch.Link> l : u.getValue().links.entrySet()) {
                    ps.setString(1, u.getKey());
                    ps.setString(2, l.getKey());
                    ps.setString(3, l.getValue().via());
                    setInstant(ps, 4, l.getValue().at());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.atOffset(java.time.ZoneOffset.UTC));
        }
    }

}
