package io.ulm.recommend;

import io.ulm.model.recsys.TieBreak;
import io.ulm.platform.UserIdResolution;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/** What the recommendation policy reads about a user and about candidate items, from the read models (JDBC). */
@ApplicationScoped
public class UserContext {

    /**
     * Who she is, her stage (null before any decision), the items she engaged with, her top interest categories (best
     * first), and her most recent items by their last event time, oldest first, ties in {@link TieBreak} order (what a sequential
     * model reads, in the order it was trained on).
     */
    public record Context(String userId, String stage, Set<String> seen, List<String> topCategories, List<String> recent) {
    }

    /**
     * Recent items read per request: at least the history length of any sequential model served (50 by default; the
     * graph keeps the last ones it reads), bounded so a user with thousands of items costs no more than this.
     */
    static final int RECENT_ITEMS = 200;

    /** Resolution as in the profile read (docs/api.md); then her stage, items and top 3 interest categories, one round trip. */
    private static final String CONTEXT = "WITH " + UserIdResolution.ctes("?") + """
            SELECT p.user_id, p.stage,
                   ARRAY(SELECT i.item_id FROM user_item i WHERE i.user_id = p.user_id ORDER BY i.item_id),
                   ARRAY(SELECT x.category FROM user_category_interest x WHERE x.user_id = p.user_id AND x.weight > 0
                         ORDER BY x.weight DESC, x.category LIMIT 3),
                   recent.items, recent.times
            FROM user_profile p JOIN target USING (user_id)
            CROSS JOIN LATERAL (SELECT array_agg(r.item_id ORDER BY r.as_of, r.item_id) AS items,
                                       array_agg(r.as_of ORDER BY r.as_of, r.item_id) AS times
                  FROM (SELECT w.item_id, w.as_of FROM user_item_interest w WHERE w.user_id = p.user_id
                        ORDER BY w.as_of DESC, w.item_id DESC LIMIT %d) r) recent
            """.formatted(RECENT_ITEMS);

    /** Title and categories of a catalogue item. */
    public record ItemView(String title, List<String> categories) {
    }

    private final DataSource dataSource;

    UserContext(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The user an id resolves to (as the profile resolves it: a user id, a linked id, then {@code anon:<id>}) and her
     * context, in one statement; empty when nobody with that id has a profile.
     */
    public java.util.Optional<Context> of(String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CONTEXT)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                Array seen = rs.getArray(3);
                Array categories = rs.getArray(4);
                return java.util.Optional.of(new Context(rs.getString(1), rs.getString(2),
                        new LinkedHashSet<>(List.of((String[]) seen.getArray())), List.of((String[]) categories.getArray()),
                        inEventOrder(rs.getString(1), rs.getArray(5), rs.getArray(6))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the user's context", e);
        }
    }

    private static List<String> inEventOrder(String userId, Array items, Array times) throws SQLException {
        if (items == null) {
            return List.of();
        }
        Timestamp[] at = (Timestamp[]) times.getArray();
        return inEventOrder(userId, (String[]) items.getArray(), Arrays.stream(at).map(Timestamp::toInstant).toArray(Instant[]::new));
    }

    /**
     * Oldest first, items of one event time (one basket) in her {@link TieBreak} order: the order the sequential model
     * was trained on ({@link io.ulm.model.sequential.Sequences}), which must not be the id order (docs/evaluation.md).
     */
    static List<String> inEventOrder(String userId, String[] items, Instant[] at) {
        Comparator<String> ties = TieBreak.itemsOf(userId);
        return IntStream.range(0, items.length).boxed()
                .sorted(Comparator.<Integer, Instant>comparing(i -> at[i]).thenComparing(i -> items[i], ties))
                .map(i -> items[i]).toList();
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

}
