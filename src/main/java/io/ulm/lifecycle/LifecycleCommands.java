package io.ulm.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.commandhandling.gateway.CommandGateway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends lifecycle commands inside the caller's transaction and keeps {@code lifecycle_schedule} in
 * step with what each command answers (when the user next needs a decision).
 *
 * <p>Every writer of a user's lifecycle takes her schedule row lock first, in user-id order, and only
 * then appends events: ingestion and the clock sweep therefore never deadlock on each other, and the
 * schedule always reflects the latest decision.
 */
@ApplicationScoped
public class LifecycleCommands {

    private static final String LOCK = """
            INSERT INTO lifecycle_schedule (user_id, due_at) VALUES (?, 'infinity')
            ON CONFLICT (user_id) DO UPDATE SET due_at = lifecycle_schedule.due_at
            """;
    private static final String SCHEDULE = "UPDATE lifecycle_schedule SET due_at = ? WHERE user_id = ?";

    private final CommandGateway gateway;
    private final DataSource dataSource;

    LifecycleCommands(CommandGateway gateway, DataSource dataSource) {
        this.gateway = gateway;
        this.dataSource = dataSource;
    }

    /** Sends each user's command (user id to command) in user order; the caller owns the transaction. */
    public void send(Map<String, Object> commandsByUser) {
        Map<String, Object> ordered = new TreeMap<>(commandsByUser);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement(LOCK)) {
                for (String user : ordered.keySet()) {
                    lock.setString(1, user);
                    lock.addBatch();
                }
                lock.executeBatch();
            }
            try (PreparedStatement schedule = c.prepareStatement(SCHEDULE)) {
                for (Map.Entry<String, Object> command : ordered.entrySet()) {
                    Instant due = gateway.sendAndWait(command.getValue());
                    schedule.setObject(1, due == null ? null : due.atOffset(ZoneOffset.UTC));
                    if (due == null) {
                        schedule.setObject(1, "infinity", java.sql.Types.OTHER);
                    }
                    schedule.setString(2, command.getKey());
                    schedule.addBatch();
                }
                schedule.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update the lifecycle schedule: " + e.getMessage(), e);
        }
    }
}
