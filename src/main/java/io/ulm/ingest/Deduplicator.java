package io.ulm.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Durable deduplication by messageId in {@code ingest_message}, inside the ingestion transaction.
 * A concurrent re-send of the same id waits on the unique index until the first commits, then
 * finds it taken; if the first rolls back, the second stores the message. Ids are inserted in
 * sorted order so that two requests never wait on each other in a cycle.
 */
@ApplicationScoped
public class Deduplicator {

    private static final String CLAIM = """
            INSERT INTO ingest_message (message_id, user_id, type, event_time, received_at)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
            ON CONFLICT (message_id) DO NOTHING RETURNING message_id
            """;

    private final DataSource dataSource;

    Deduplicator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Claims the ids of {@code messages} (user = the aggregate each goes to); returns the ids that were new. */
    public Set<String> claim(List<Routed> messages) {
        if (messages.isEmpty()) {
            return Set.of();
        }
        List<Routed> sorted = messages.stream().sorted(Comparator.comparing(r -> r.message().messageId())).toList();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setArray(1, array(c, sorted.stream().map(r -> r.message().messageId()).toArray()));
            ps.setArray(2, array(c, sorted.stream().map(Routed::userId).toArray()));
            ps.setArray(3, array(c, sorted.stream().map(r -> r.message().type()).toArray()));
            ps.setArray(4, array(c, sorted.stream().map(r -> r.message().at().toString()).toArray()));
            ps.setArray(5, array(c, sorted.stream().map(r -> r.message().receivedAt().toString()).toArray()));
            Set<String> fresh = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
            return fresh;
        } catch (SQLException e) {
            throw new DatabaseException("Could not record message ids", e);
        }
    }

    private static Array array(Connection c, Object[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    /** A message and the user aggregate it is recorded on. */
    public record Routed(IncomingMessage message, String userId, List<String> linkedIds) {
    }
}
