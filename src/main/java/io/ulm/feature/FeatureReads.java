package io.ulm.feature;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.platform.Json;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads features from the features projection, for one user or for everybody (segments, models). Each user
 * is read in one statement (her row, her days in the trend windows, her items with their current catalogue
 * categories), so her numbers are one consistent snapshot. Blocking JDBC: call on a worker thread.
 */
@ApplicationScoped
public class FeatureReads {

    private static final String INPUTS = """
            SELECT f.user_id, %s,
                   (SELECT coalesce(json_agg(json_build_array(d.day, d.activities)), '[]') FROM user_feature_day d
                     WHERE d.user_id = f.user_id AND d.day > ?::date - 56)::text,
                   (SELECT coalesce(json_agg(json_build_array(w.item_id, w.weight, w.as_of, w.events, coalesce(i.categories, '{}'))), '[]')
                      FROM user_item_interest w LEFT JOIN item i ON i.item_id = w.item_id WHERE w.user_id = f.user_id)::text
            FROM user_feature f""".formatted(FeatureRows.COLUMNS.replaceAll("(\\w+)", "f.$1"));

    private final DataSource dataSource;
    private final FeatureSettings settings;

    FeatureReads(DataSource dataSource, UlmConfig config) {
        this.dataSource = dataSource;
        this.settings = FeatureSettings.of(config.features());
    }

    public FeatureSettings settings() {
        return settings;
    }

    /** The user's features at {@code at} from the read model; empty when the projection has no row for her. */
    public Optional<UserFeatures> user(String userId, Instant at, int top) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INPUTS + " WHERE f.user_id = ?")) {
            ps.setObject(1, day(at));
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(FeatureCalculator.compute(userId, inputs(rs), at, UserFeatures.WATERMARK, settings, top))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the features of " + userId, e);
        }
    }

    /**
     * Every user's features at {@code at}, in user-id order (byte order), streamed from one snapshot: memory
     * stays at one user's rows whatever the population.
     */
    public void forEach(Instant at, int top, Consumer<UserFeatures> consumer) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement(INPUTS + " ORDER BY f.user_id COLLATE \"C\"")) {
                ps.setFetchSize(500);
                ps.setObject(1, day(at));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(FeatureCalculator.compute(rs.getString(1), inputs(rs), at, UserFeatures.WATERMARK, settings, top));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read the features", e);
            }
        });
    }

    /** The catalogue's current categories of these items (items not in the catalogue have none). */
    public Map<String, List<String>> categories(Collection<String> itemIds) {
        Map<String, List<String>> out = new HashMap<>();
        if (itemIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT item_id, categories FROM item WHERE item_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", itemIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read item categories", e);
        }
        return out;
    }

    private static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static FeatureCalculator.Inputs inputs(ResultSet rs) throws SQLException {
        FeatureState state = new FeatureState();
        FeatureRows.read(rs, state);
        int next = 2 + FeatureRows.COLUMNS.split(",").length;
        Map<LocalDate, Long> days = new TreeMap<>();
        for (JsonNode d : json(rs.getString(next))) {
            days.put(LocalDate.parse(d.get(0).asText()), d.get(1).asLong());
        }
        Map<String, Decay.Point> items = new TreeMap<>();
        Map<String, List<String>> categories = new HashMap<>();
        for (JsonNode i : json(rs.getString(next + 1))) {
            String item = i.get(0).asText();
            // float8 reaches JSON in its shortest exact form, and reads back as the same double
            items.put(item, new Decay.Point(i.get(1).doubleValue(), OffsetDateTime.parse(i.get(2).asText()).toInstant(), i.get(3).asLong()));
            List<String> cats = new ArrayList<>();
            i.get(4).forEach(c -> cats.add(c.asText()));
            categories.put(item, cats);
        }
        return new FeatureCalculator.Inputs(state, days, items, categories);
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
