package io.ulm.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.platform.Json;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A processor's position is how far it has handled every stored event: a gap in its token (an event the reader
 * went past while its transaction was still open) that is now in the log holds the position below it; a gap that
 * never reached the log (a rolled-back insert) holds nothing back. The tokens are written by hand for a processor
 * of this test only, so what the reader happens to do meanwhile cannot decide the outcome.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectionProgressTest {

    private static final String PROCESSOR = "progress-test";
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();

    @Inject
    DataSource db;
    @Inject
    ProjectionProgress progress;

    @AfterEach
    void forgetTheProcessor() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM token_entry WHERE processor_name = ?")) {
            ps.setString(1, PROCESSOR);
            ps.executeUpdate();
        }
    }

    @Test
    void aGapNowInTheLogHoldsThePositionBelowIt() throws SQLException {
        List<Long> stored = storeEvents();
        long gap = stored.get(0);
        long head = progress.status().head();

        writeToken(0, GapAwareTrackingToken.newInstance(head, List.of(gap)));
        writeToken(1, GapAwareTrackingToken.newInstance(head, List.of()));
        ProjectionProgress.Processor p = progress.status().processors().get(PROCESSOR);
        assertThat(p.segments()).isEqualTo(2);
        assertThat(p.position()).as("segment 0 has not handled event " + gap).isEqualTo(gap - 1);
        assertThat(p.lag()).isEqualTo(head - gap + 1);
        assertThat(segment(0).position()).isEqualTo(gap - 1);
        assertThat(segment(1).position()).isEqualTo(head);

        // the same gap inside a replay's token
        writeToken(0, ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(head, List.of()),
                GapAwareTrackingToken.newInstance(head, List.of(gap))));
        assertThat(segment(0).position()).isEqualTo(gap - 1);
    }

    @Test
    void aGapThatNeverReachedTheLogHoldsNothingBack() throws SQLException {
        storeEvents();
        long head = progress.status().head();
        long missing = missingIndexBelow(head);

        writeToken(0, GapAwareTrackingToken.newInstance(head, List.of(missing)));
        assertThat(segment(0).position()).as("index " + missing + " is not in the log").isEqualTo(head);
        assertThat(progress.status().processors().get(PROCESSOR).lag()).isZero();
    }

    /** Two requests' events for a fresh user; their global indexes. */
    private List<Long> storeEvents() throws SQLException {
        String user = "progress-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            Api.writer().body("{\"type\":\"page\",\"messageId\":\"" + user + "-" + i + "\",\"userId\":\"" + user
                    + "\",\"name\":\"Home\",\"timestamp\":\"" + Instant.now().minusSeconds(60) + "\"}").post("/v1/page").then().statusCode(200);
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY global_index")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                assertThat(out).isNotEmpty();
                return out;
            }
        }
    }

    /** The lowest index below the head with no event (global indexes start at 1: there is one). */
    private long missingIndexBelow(long head) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT min(s) FROM generate_series(0, ?) s "
                     + "WHERE NOT EXISTS (SELECT 1 FROM domain_event_entry e WHERE e.global_index = s)")) {
            ps.setLong(1, head);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long found = rs.getLong(1);
                assertThat(rs.wasNull()).as("an index below the head without an event").isFalse();
                return found;
            }
        }
    }

    private ProjectionProgress.Segment segment(int segment) {
        return progress.segments().segments().stream()
                .filter(s -> s.processor().equals(PROCESSOR) && s.segment() == segment).findFirst().orElseThrow();
    }

    private void writeToken(int segment, TrackingToken token) throws SQLException {
        SerializedObject<byte[]> serialized = serializer.serialize(token, byte[].class);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp) "
                     + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (processor_name, segment) DO UPDATE SET token = excluded.token, "
                     + "token_type = excluded.token_type")) {
            ps.setString(1, PROCESSOR);
            ps.setInt(2, segment);
            ps.setBytes(3, serialized.getData());
            ps.setString(4, serialized.getType().getName());
            ps.setString(5, Instant.now().toString());
            ps.executeUpdate();
        }
    }
}
