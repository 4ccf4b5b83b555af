package io.ulm.lifecycle;

import io.ulm.lifecycle.api.LifecycleDecision;
import io.ulm.platform.AggregateCache;
import io.ulm.platform.Completion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one way commands reach user lifecycles: inside the caller's transaction, it keeps
 * {@code lifecycle_schedule} in step with what each command answers (when the user next needs a
 * decision, and the aggregate's version).
 *
 * <p>Every writer takes the users' schedule row locks first, in user-id order, and only then appends
 * events: ingestion and the clock sweep never deadlock on each other, the schedule always reflects the
 * latest decision, and the committed version read under the lock tells whether this node's cached
 * aggregate is still the current one (another node, or a rolled-back transaction, changes it).
 */
@ApplicationScoped
public class LifecycleCommands {

    private static final String LOCK = """
            INSERT INTO lifecycle_schedule (user_id, due_at)
            SELECT u, 'infinity' FROM unnest(?::text[]) AS u ORDER BY u
            ON CONFLICT (user_id) DO UPDATE SET due_at = lifecycle_schedule.due_at
            RETURNING user_id, version
            """;
    private static final String SCHEDULE = "UPDATE lifecycle_schedule SET due_at = ?, version = ? WHERE user_id = ?";

    private final CommandGateway gateway;
    private final DataSource dataSource;
    private final AggregateCache cache;
    private final TransactionSynchronizationRegistry transactions;

    LifecycleCommands(CommandGateway gateway, DataSource dataSource, AggregateCache cache,
                      TransactionSynchronizationRegistry transactions) {
        this.gateway = gateway;
        this.dataSource = dataSource;
        this.cache = cache;
        this.transactions = transactions;
    }

    /** Sends each user's command (user id to command) in user order; the caller owns the transaction. */
    public Map<String, LifecycleDecision> send(Map<String, Object> commandsByUser) {
        Map<String, Object> ordered = new TreeMap<>(commandsByUser);
        Map<String, LifecycleDecision> decisions = new LinkedHashMap<>();
        if (ordered.isEmpty()) {
            return decisions;
        }
        // registered before the first command: Axon caches each aggregate when its command's unit of work commits, inside
        // this transaction; if anything later rolls the transaction back, those entries are ahead of the store
        trustCacheAfterCommit(ordered.keySet(), decisions);
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, Long> locked : lock(c, ordered).entrySet()) {
                cache.validate(locked.getKey(), locked.getValue());
            }
            try (PreparedStatement schedule = c.prepareStatement(SCHEDULE)) {
                for (Map.Entry<String, Object> command : ordered.entrySet()) {
                    LifecycleDecision decision = gateway.sendAndWait(command.getValue());
                    decisions.put(command.getKey(), decision);
                    if (decision.nextDueAt() == null) {
                        schedule.setObject(1, "infinity", Types.OTHER);
                    } else {
                        schedule.setObject(1, decision.nextDueAt().atOffset(ZoneOffset.UTC));
                    }
                    schedule.setLong(2, decision.version());
                    schedule.setString(3, command.getKey());
                    schedule.addBatch();
                }
                schedule.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update the lifecycle schedule: " + e.getMessage(), e);
        }
        return decisions;
    }

    private static Map<String, Long> lock(Connection c, Map<String, Object> ordered) throws SQLException {
        Map<String, Long> versions = new HashMap<>();
        try (PreparedStatement lock = c.prepareStatement(LOCK)) {
            lock.setArray(1, c.createArrayOf("text", ordered.keySet().toArray()));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return versions;
    }

    /**
     * Cached aggregates become trusted only when this transaction commits; a rollback evicts every user it commanded,
     * also those whose command had succeeded before another failed (their cached state holds the rolled-back events).
     */
    private void trustCacheAfterCommit(Set<String> users, Map<String, LifecycleDecision> decisions) {
        boolean registered = Completion.afterCompletion(transactions, committed -> {
            if (committed) {
                decisions.forEach((user, decision) -> cache.committed(user, decision.version()));
            } else {
                users.forEach(cache::remove);
            }
        });
        if (!registered) {
            throw new IllegalStateException("Lifecycle commands run inside the caller's transaction");
        }
    }
}
