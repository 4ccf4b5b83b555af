package io.ulm.platform.privacy;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removing one user's rows from read-model tables (column {@code user_id}) on the caller's transaction: what the
 * erasure endpoint does at once and what every projection does again when it sees {@code UserErased}, live or in a
 * replay (docs/privacy.md), so that a replay rebuilds exactly the tables the erasure left.
 */
public final class UserRows {

    private UserRows() {
    }

    /** Deletes her rows; the count per table (schema-qualified names are used as given). */
    public static Map<String, Integer> delete(DataSource dataSource, String schema, List<String> tables, String userId) {
        return run(dataSource, schema, tables, "DELETE FROM %s WHERE user_id = ?", userId, null);
    }

    /** Gives her rows the pseudonym instead of her id (aggregate-only tables whose counts must not change). */
    public static Map<String, Integer> rekey(DataSource dataSource, String schema, List<String> tables, String userId, String pseudonym) {
        return run(dataSource, schema, tables, "UPDATE %s SET user_id = ? WHERE user_id = ?", userId, pseudonym);
    }

    /**
     * Runs {@code erase} when the current (root) unit of work prepares to commit: after the batch writes registered
     * before it, so that her earlier events folded into the same batch are written first and then removed.
     */
    public static void afterBatch(Runnable erase) {
        CurrentUnitOfWork.get().root().onPrepareCommit(u -> erase.run());
    }

    private static Map<String, Integer> run(DataSource dataSource, String schema, List<String> tables, String template,
                                            String userId, String pseudonym) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : tables) {
                try (PreparedStatement ps = c.prepareStatement(template.formatted(schema + "." + table))) {
                    if (pseudonym == null) {
                        ps.setString(1, userId);
                    } else {
                        ps.setString(1, pseudonym);
                        ps.setString(2, userId);
                    }
                    counts.put(table, ps.executeUpdate());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not erase the rows of " + userId + " from " + tables, e);
        }
        return counts;
    }
}
