package io.ulm.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a batch of segment events to {@code segment_membership} with JDBC, in the processor's transaction. */
@ApplicationScoped
public class SegmentWriter {

    static final List<String> TABLES = List.of("segment_membership");

    /** The net effect of a batch per (segment, user): the entry that holds at its end, or null (left). */
    static final class Batch {
        private final Map<String, UserEnteredSegment> last = new TreeMap<>();

        void entered(UserEnteredSegment e) {
            last.put(e.segmentId() + '\u0000' + e.userId(), e);
        }

        void left(String segmentId, String userId) {
            last.put(segmentId + '\u0000' + userId, null);
        }
    }

    private static final String UPSERT = """
            INSERT INTO {s}segment_membership (segment_id, user_id, since, evaluation, reason, evidence, family)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (segment_id, user_id) DO UPDATE SET since = EXCLUDED.since, evaluation = EXCLUDED.evaluation,
                reason = EXCLUDED.reason, evidence = EXCLUDED.evidence, family = EXCLUDED.family
            """;
    private static final String DELETE = "DELETE FROM {s}segment_membership WHERE segment_id = ? AND user_id = ?";

    private final DataSource dataSource;
    private final String schema;

    @Inject
    SegmentWriter(DataSource dataSource) {
        this(dataSource, "public");
    }

    private SegmentWriter(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    SegmentWriter in(String otherSchema) {
        return new SegmentWriter(dataSource, otherSchema);
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
            s.execute("TRUNCATE " + schema + ".segment_membership");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the segment read model", e);
        }
    }

    void write(Batch batch) {
        if (batch.last.isEmpty()) {
            return;
        }
        String prefix = schema + ".";
        try (Connection c = dataSource.getConnection();
             PreparedStatement upsert = c.prepareStatement(UPSERT.replace("{s}", prefix));
             PreparedStatement delete = c.prepareStatement(DELETE.replace("{s}", prefix))) {
            for (Map.Entry<String, UserEnteredSegment> entry : batch.last.entrySet()) {
                String[] key = entry.getKey().split("\u0000", 2);
                UserEnteredSegment e = entry.getValue();
                if (e == null) {
                    delete.setString(1, key[0]);
                    delete.setString(2, key[1]);
                    delete.addBatch();
                } else {
                    upsert.setString(1, key[0]);
                    upsert.setString(2, key[1]);
                    upsert.setObject(3, e.at().atOffset(ZoneOffset.UTC));
                    upsert.setLong(4, e.evaluation());
                    upsert.setString(5, e.reason());
                    upsert.setString(6, Json.mapper().writeValueAsString(e.evidence()));
                    upsert.setString(7, e.family());
                    upsert.addBatch();
                }
            }
            delete.executeBatch();
            upsert.executeBatch();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not write the segment batch", e);
        }
    }
}
