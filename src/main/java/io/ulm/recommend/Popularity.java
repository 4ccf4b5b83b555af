package io.ulm.recommend;

import io.quarkus.scheduler.Scheduled;
import io.ulm.catalogue.CatalogueReads;
import io.ulm.model.ModelConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item popularity (distinct users per item, from the profile projection's user_item), overall and per catalogue
 * category, recomputed on a schedule: what new and cold users get, and the item counts of the similarity
 * measure. Kept in memory so that a request never aggregates the whole table. The same snapshot holds the items of
 * the categories never recommended ({@code ulm.models.recommendations.excluded-categories}); they are in no list.
 */
@ApplicationScoped
public class Popularity {

    /** Items kept per list: enough to fill any k after excluding what a user has seen. */
    static final int KEPT = 1_000;

    /** A popular item: its id and how many users engaged with it. */
    public record Popular(String itemId, long users) {
    }

    private record Snapshot(List<Popular> overall, Map<String, List<Popular>> byCategory, Map<String, Long> counts, Set<String> excluded) {
    }

    private final DataSource dataSource;
    private final CatalogueReads catalogue;
    private final ModelConfig config;
    private volatile Snapshot snapshot;

    Popularity(DataSource dataSource, CatalogueReads catalogue, ModelConfig config) {
        this.dataSource = dataSource;
        this.catalogue = catalogue;
        this.config = config;
    }

    public List<Popular> overall() {
        return current().overall();
    }

    public List<Popular> inCategory(String category) {
        return current().byCategory().getOrDefault(category, List.of());
    }

    /** Items never recommended: those of the excluded categories, as of the last refresh. */
    public Set<String> excluded() {
        return current().excluded();
    }

    /** Distinct users of an item (0 if none). */
    public long users(String itemId) {
        return current().counts().getOrDefault(itemId, 0L);
    }

    @Scheduled(every = "${ulm.models.recommendations.popular-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        snapshot = compute();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null) {
            s = compute();
            snapshot = s;
        }
        return s;
    }

    private Snapshot compute() {
        Set<String> excluded = Set.copyOf(catalogue.itemsIn(config.recommendations().excludedCategories()));
        Map<String, Long> counts = new HashMap<>();
        List<Popular> ranked = new ArrayList<>();
        Map<String, List<Popular>> byCategory = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT item_id, count(*) FROM user_item GROUP BY item_id ORDER BY 2 DESC, 1")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                    if (ranked.size() < KEPT && !excluded.contains(rs.getString(1))) {
                        ranked.add(new Popular(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT category, item_id, n FROM (SELECT c.category, p.item_id, p.n, "
                    + "row_number() OVER (PARTITION BY c.category ORDER BY p.n DESC, p.item_id) AS r "
                    + "FROM (SELECT item_id, count(*) AS n FROM user_item GROUP BY item_id) p JOIN item i ON i.item_id = p.item_id "
                    + "CROSS JOIN LATERAL unnest(i.categories) AS c(category)) x WHERE r <= " + KEPT + " ORDER BY category, r")) {
                while (rs.next()) {
                    if (!excluded.contains(rs.getString(2))) {
                        byCategory.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Popular(rs.getString(2), rs.getLong(3)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not compute item popularity", e);
        }
        return new Snapshot(Collections.unmodifiableList(ranked), byCategory, counts, excluded);
    }
}
