package io.ulm.catalogue;

import io.ulm.catalogue.api.ItemCatalogued;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link CatalogueBatch} into {@code item} with one batched upsert, on the caller's (JTA) transaction.
 * A definition replaces title, description, categories and properties; a sighting only moves first_seen
 * earlier and, for an item nobody defined, sets the title to the name of its earliest sighting. Both rules
 * are commutative, so the table does not depend on the order the two processor segments commit in.
 */
@ApplicationScoped
public class CatalogueWriter {

    static final List<String> TABLES = List.of("item");

    private static final String UPSERT = """
            INSERT INTO {s}item AS i (item_id, title, description, categories, properties, source, defined_at, first_seen)
            VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
            ON CONFLICT (item_id) DO UPDATE SET
                title = CASE WHEN EXCLUDED.source = 'catalogue' THEN EXCLUDED.title
                             WHEN i.source = 'catalogue' THEN i.title
                             WHEN EXCLUDED.first_seen < i.first_seen THEN EXCLUDED.title
                             WHEN EXCLUDED.first_seen = i.first_seen AND EXCLUDED.title IS NOT NULL
                                  AND (i.title IS NULL OR EXCLUDED.title COLLATE "C" < i.title COLLATE "C") THEN EXCLUDED.title
                             ELSE i.title END,
                description = CASE WHEN EXCLUDED.source = 'catalogue' THEN EXCLUDED.description ELSE i.description END,
                categories = CASE WHEN EXCLUDED.source = 'catalogue' THEN EXCLUDED.categories ELSE i.categories END,
                properties = CASE WHEN EXCLUDED.source = 'catalogue' THEN EXCLUDED.properties ELSE i.properties END,
                source = CASE WHEN EXCLUDED.source = 'catalogue' THEN 'catalogue' ELSE i.source END,
                defined_at = CASE WHEN EXCLUDED.source = 'catalogue' THEN EXCLUDED.defined_at ELSE i.defined_at END,
                first_seen = LEAST(i.first_seen, EXCLUDED.first_seen)
            """;

    private final DataSource dataSource;
    private final String schema;
    private final String upsert;

    @jakarta.inject.Inject
    CatalogueWriter(DataSource dataSource) {
        this(dataSource, "public");
    }

    /** The same table in another schema (the replay audit's shadow). */
    CatalogueWriter(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.upsert = UPSERT.replace("{s}", schema + ".");
    }

    CatalogueWriter in(String otherSchema) {
        return new CatalogueWriter(dataSource, otherSchema);
    }

    void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + schema + ".item");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the catalogue read model", e);
        }
    }

    void write(CatalogueBatch batch) {
        if (batch.items().isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(upsert)) {
            for (Map.Entry<String, CatalogueBatch.Change> e : batch.items().entrySet()) {
                bind(c, ps, e.getKey(), e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the catalogue batch", e);
        }
    }

    private static void bind(Connection c, PreparedStatement ps, String itemId, CatalogueBatch.Change change) throws SQLException {
        ItemCatalogued d = change.definition;
        ps.setString(1, itemId);
        ps.setString(2, d != null ? d.title() : change.seenName);
        ps.setString(3, d != null ? d.description() : null);
        List<String> categories = d != null && d.categories() != null ? d.categories() : List.of();
        ps.setArray(4, c.createArrayOf("text", categories.toArray()));
        ps.setString(5, d != null && d.properties() != null ? d.properties().toString() : "{}");
        ps.setString(6, d != null ? "catalogue" : "seen");
        setInstant(ps, 7, d != null ? d.at() : null);
        setInstant(ps, 8, change.seenAt);
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }
}
