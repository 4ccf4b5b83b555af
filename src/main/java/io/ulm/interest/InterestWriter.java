package io.ulm.interest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Writes an {@link InterestBatch} with batched JDBC statements on the caller's (JTA) transaction. */
@ApplicationScoped
public class InterestWriter {

    /** The projection's tables (compared by the replay audit, emptied by a reset). */
    static final List<String> TABLES = List.of("interest_user_item", "interest_user_text");

    private static final String UPSERT_ITEM = """
            INSERT INTO {s}interest_user_item (user_id, item_id, engagements) VALUES (?, ?, ?)
            ON CONFLICT (user_id, item_id) DO UPDATE SET engagements = interest_user_item.engagements + EXCLUDED.engagements
            """;
    private static final String UPSERT_TEXT = """
            INSERT INTO {s}interest_user_text (user_id, item_id, term, n) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, item_id, term) DO UPDATE SET n = interest_user_text.n + EXCLUDED.n
            """;

    private final DataSource dataSource;
    private final String schema;

    @Inject
    InterestWriter(DataSource dataSource) {
        this(dataSource, "public");
    }

    private InterestWriter(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** The same writer on copies of the tables in another schema (the replay audit's shadow tables). */
    InterestWriter in(String otherSchema) {
        return new InterestWriter(dataSource, otherSchema);
    }

    String schema() {
        return schema;
    }

    /** Drops the erased user's rows (UserErased, docs/privacy.md): the count per table. */
    java.util.Map<String, Integer> erase(String userId) {
        return io.ulm.platform.privacy.UserRows.delete(dataSource, schema, TABLES, userId);
    }

    void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", TABLES.stream().map(t -> schema + "." + t).toList()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the interest-text read model", e);
        }
    }

    void write(InterestBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            if (!batch.engagements().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_ITEM))) {
                    for (Map.Entry<InterestBatch.UserItem, Long> e : batch.engagements().entrySet()) {
                        ps.setString(1, e.getKey().userId());
                        ps.setString(2, e.getKey().itemId());
                        ps.setLong(3, e.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!batch.text().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(sql(UPSERT_TEXT))) {
                    for (Map.Entry<InterestBatch.UserText, Long> e : batch.text().entrySet()) {
                        ps.setString(1, e.getKey().userId());
                        ps.setString(2, e.getKey().itemId());
                        ps.setString(3, e.getKey().term());
                        ps.setLong(4, e.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the interest-text batch", e);
        }
    }

    private String sql(String template) {
        return template.replace("{s}", schema + ".");
    }
}
