package io.ulm.feature;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.ulm.feature.FeatureRows.instant;
import static io.ulm.feature.FeatureRows.setInstant;

/**
 * Folds a {@link FeatureBatch} onto the stored feature state and writes it back, with batched JDBC on the
 * caller's (JTA) transaction: read the batch's users and user-items, apply the events in log order, upsert.
 * A user's events all go to one processor segment, so no other transaction writes her rows meanwhile.
 */
@ApplicationScoped
public class FeatureWriter {

    static final List<String> TABLES = List.of("user_feature", "user_feature_day", "user_item_interest");

    private static final String SELECT_USERS = "SELECT user_id, " + FeatureRows.COLUMNS + " FROM {s}user_feature WHERE user_id = ANY(?)";
    private static final String SELECT_ITEMS = """
            SELECT w.user_id, w.item_id, w.weight, w.as_of, w.events
            FROM unnest(?::text[], ?::text[]) AS k(user_id, item_id)
            JOIN {s}user_item_interest w ON w.user_id = k.user_id AND w.item_id = k.item_id""";
    private static final String UPSERT_USER = """
            INSERT INTO {s}user_feature (user_id, acquired_at, activities, first_activity_at, last_activity_at, sessions,
                purchases, first_purchase_at, last_purchase_at, refunds, revenue, refunded)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET acquired_at = EXCLUDED.acquired_at, activities = EXCLUDED.activities,
                first_activity_at = EXCLUDED.first_activity_at, last_activity_at = EXCLUDED.last_activity_at,
                sessions = EXCLUDED.sessions, purchases = EXCLUDED.purchases, first_purchase_at = EXCLUDED.first_purchase_at,
                last_purchase_at = EXCLUDED.last_purchase_at, refunds = EXCLUDED.refunds, revenue = EXCLUDED.revenue,
                refunded = EXCLUDED.refunded""";
    private static final String UPSERT_DAY = """
            INSERT INTO {s}user_feature_day AS d (user_id, day, activities) VALUES (?, ?, ?)
            ON CONFLICT (user_id, day) DO UPDATE SET activities = d.activities + EXCLUDED.activities""";
    private static final String UPSERT_ITEM = """
            INSERT INTO {s}user_item_interest (user_id, item_id, weight, as_of, events) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id, item_id) DO UPDATE SET weight = EXCLUDED.weight, as_of = EXCLUDED.as_of, events = EXCLUDED.events""";

    private final DataSource dataSource;
    private final FeatureSettings settings;
    private final String schema;

    @jakarta.inject.Inject
    FeatureWriter(DataSource dataSource, UlmConfig config) {
        this(dataSource, FeatureSettings.of(config.features()), "public");
    }

    FeatureWriter(DataSource dataSource, FeatureSettings settings, String schema) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.schema = schema;
    }

    /** The same tables in another schema (the replay audit's shadow). */
    FeatureWriter in(String otherSchema) {
        return new FeatureWriter(dataSource, settings, otherSchema);
    }

    /** Drops the erased user's rows (UserErased, docs/privacy.md): the count per table. */
    java.util.Map<String, Integer> erase(String userId) {
        return io.ulm.platform.privacy.UserRows.delete(dataSource, schema, TABLES, userId);
    }

    void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", TABLES.stream().map(t -> schema + "." + t).toList()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the features read model", e);
        }
    }

    void write(FeatureBatch batch) {
        if (batch.users().isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Map<String, FeatureState> states = load(c, batch);
            batch.users().forEach((user, events) -> fold(states.get(user), events));
            writeUsers(c, states);
            writeDays(c, states);
            writeItems(c, states);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the features batch", e);
        }
    }

    private void fold(FeatureState state, List<Object> events) {
        for (Object event : events) {
            if (event instanceof ActivityRecorded a) {
                state.apply(a, settings);
            } else if (event instanceof UserAcquired u) {
                state.apply(u);
            }
        }
    }

    /** The stored state of the batch's users and of the items their events touch (a new user starts empty). */
    private Map<String, FeatureState> load(Connection c, FeatureBatch batch) throws SQLException {
        Map<String, FeatureState> states = new TreeMap<>();
        batch.users().keySet().forEach(u -> states.put(u, new FeatureState()));
        try (PreparedStatement ps = c.prepareStatement(sql(SELECT_USERS))) {
            ps.setArray(1, c.createArrayOf("text", states.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FeatureRows.read(rs, states.get(rs.getString(1)));
                }
            }
        }
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        batch.users().forEach((user, events) -> itemsOf(events).forEach(item -> {
            users.add(user);
            items.add(item);
        }));
        if (!items.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql(SELECT_ITEMS))) {
                ps.setArray(1, c.createArrayOf("text", users.toArray()));
                ps.setArray(2, c.createArrayOf("text", items.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        states.get(rs.getString(1)).items.put(rs.getString(2),
                                new Decay.Point(rs.getDouble(3), instant(rs, 4), rs.getLong(5)));
                    }
                }
            }
        }
        return states;
    }

    /** The items the events name, each once. */
    private static java.util.Set<String> itemsOf(List<Object> events) {
        java.util.Set<String> items = new java.util.LinkedHashSet<>();
        for (Object e : events) {
            if (e instanceof ActivityRecorded a && a.itemIds() != null) {
                items.addAll(a.itemIds());
            }
        }
        return items;
    }

    private void writeUsers(Connection c, Map<String, FeatureState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_USER))) {
            for (Map.Entry<String, FeatureState> e : states.entrySet()) {
                FeatureRows.bind(ps, e.getKey(), e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeDays(Connection c, Map<String, FeatureState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_DAY))) {
            for (Map.Entry<String, FeatureState> e : states.entrySet()) {
                for (Map.Entry<java.time.LocalDate, Long> day : e.getValue().days.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setObject(2, day.getKey());
                    ps.setLong(3, day.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private void writeItems(Connection c, Map<String, FeatureState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_ITEM))) {
            for (Map.Entry<String, FeatureState> e : states.entrySet()) {
                for (Map.Entry<String, Decay.Point> item : e.getValue().items.entrySet()) {
                    Decay.Point p = item.getValue();
                    if (p.asOf() == null) {
                        continue;
                    }
                    ps.setString(1, e.getKey());
                    ps.setString(2, item.getKey());
                    ps.setDouble(3, p.weight());
                    setInstant(ps, 4, p.asOf());
                    ps.setLong(5, p.events());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private String sql(String template) {
        return template.replace("{s}", schema + ".");
    }
}
