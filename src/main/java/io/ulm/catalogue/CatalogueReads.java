package io.ulm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads of the {@code item} read model (blocking JDBC: call on a worker thread). */
@ApplicationScoped
public class CatalogueReads {

    /** One item as the read model holds it. {@code source}: 'catalogue' (defined) or 'seen' (created from an event). */
    public record ItemView(String itemId, String title, String description, List<String> categories, JsonNode properties,
                           String source, Instant definedAt, Instant firstSeen) {
    }

    private final DataSource dataSource;

    CatalogueReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<ItemView> item(String itemId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, title, description, categories, properties::text, source, defined_at, first_seen FROM item WHERE item_id = ?")) {
            ps.setString(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ItemView(rs.getString(1), rs.getString(2), rs.getString(3),
                        Arrays.asList((String[]) rs.getArray(4).getArray()), Json.mapper().readTree(rs.getString(5)),
                        rs.getString(6), instant(rs, 7), instant(rs, 8)));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not read item " + itemId, e);
        }
    }

    /** The ids of every item in any of {@code categories}. */
    public Set<String> itemsIn(Collection<String> categories) {
        Set<String> items = new HashSet<>();
        if (categories.isEmpty()) {
            return items;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT item_id FROM item WHERE categories && ?")) {
            ps.setArray(1, c.createArrayOf("text", categories.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the items of categories " + categories, e);
        }
        return items;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
