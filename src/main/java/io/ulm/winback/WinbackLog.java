package io.ulm.winback;

import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The win-back reads of the event log (results, backtest): users' events of the types given, straight from
 * {@code domain_event_entry} in (user, sequence) order, deserialised with ULM's event JSON. Reads only.
 */
@ApplicationScoped
public class WinbackLog {

    private final DataSource dataSource;

    WinbackLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Hands every event of {@code types} to {@code sink} (user id, payload), in user then sequence order; {@code users}
     * null: every user. One streamed statement, so a whole history fits in a constant amount of memory.
     */
    public void read(Collection<String> users, Set<Class<?>> types, BiConsumer<String, Object> sink) {
        Map<String, Class<?>> byName = new java.util.HashMap<>();
        types.forEach(t -> byName.put(t.getName(), t));
        String sql = "SELECT aggregate_identifier, payload_type, payload FROM domain_event_entry WHERE payload_type = ANY (?)"
                + (users == null ? "" : " AND aggregate_identifier = ANY (?)") + " ORDER BY aggregate_identifier, sequence_number";
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (auto) {
                    c.setAutoCommit(false);   // PostgreSQL streams with a fetch size only inside a transaction
                }
                ps.setFetchSize(2_000);
                ps.setArray(1, c.createArrayOf("text", byName.keySet().toArray()));
                if (users != null) {
                    ps.setArray(2, c.createArrayOf("text", users.toArray()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs.getString(1), Json.mapper().readValue(rs.getBytes(3), byName.get(rs.getString(2))));
                    }
                }
            } finally {
                if (auto) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not read the event log", e);
        }
    }

    /** Convenience: {@link #read} into a list per user. */
    public Map<String, List<Object>> events(Collection<String> users, Set<Class<?>> types) {
        Map<String, List<Object>> out = new java.util.LinkedHashMap<>();
        read(users, types, (user, e) -> out.computeIfAbsent(user, u -> new java.util.ArrayList<>()).add(e));
        return out;
    }
}
