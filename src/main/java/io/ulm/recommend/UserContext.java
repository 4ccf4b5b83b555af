package io.ulm.recommend;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the recommendation policy reads about a user and about candidate items, from the read models (JDBC). */
@ApplicationScoped
public class UserContext {

    /** Her stage (null before any decision), the items she engaged with, her top interest categories (best first). */
    public record Context(String stage, Set<String> seen, List<String> topCategories) {
    }

    /** Title and categories of a catalogue item. */
    public record ItemView(String title, List<String> categories) {
    }

    /** How many of her top interest categories the popular strategy draws from. */
    static final int TOP_CATEGORIES = 3;

    private final DataSource dataSource;

    UserContext(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Context of(String userId) {
        try (Connection c = dataSource.getConnection()) {
            String stage = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT stage FROM user_profile WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    stage = rs.next() ? rs.getString(1) : null;
                }
            }
            Set<String> seen = new LinkedHashSet<>(strings(c, "SELECT item_id FROM user_item WHERE user_id = ?", userId));
            List<String> categories = strings(c, "SELECT category FROM user_category_interest WHERE user_id = ? AND weight > 0 "
                    + "ORDER BY weight DESC, category LIMIT " + TOP_CATEGORIES, userId);
            return new Context(stage, seen, categories);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the user's context", e);
        }
    }

    /** Title and categories of the given items (unknown ones are absent). */
    public Map<String, ItemView> items(Collection<String> itemIds) {
        Map<String, ItemView> views = new HashMap<>();
        if (itemIds.isEmpty()) {
            return views;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT item_id, title, categories FROM item WHERE item_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", itemIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array categories = rs.getArray(3);
                    views.put(rs.getString(1), new ItemView(rs.getString(2), categories == null ? List.of() : List.of((String[]) categories.getArray())));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read items", e);
        }
        return views;
    }

    /** Items that users of {@code itemId} also engaged with, and how many such users each (co-occurrence). */
    public Map<String, Long> coOccurring(String itemId) {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT o.item_id, count(*) FROM user_item t JOIN user_item o ON o.user_id = t.user_id "
                     + "WHERE t.item_id = ? AND o.item_id <> t.item_id GROUP BY o.item_id")) {
            ps.setString(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read co-occurrences", e);
        }
        return counts;
    }

    /** Distinct users who engaged with an item. */
    public long users(String itemId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM user_item WHERE item_id = ?")) {
            ps.setString(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the item's users", e);
        }
    }

    private static List<String> strings(Connection c, String sql, String parameter) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
