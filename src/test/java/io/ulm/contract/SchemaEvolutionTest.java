package io.ulm.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.ingest.EventContract;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.lifecycle.api.RecordSegmentChanges;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;
import io.ulm.platform.Json;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schema evolution (docs/schema-evolution.md) on the real event store: events written in the old schema (raw rows of
 * UserEnteredSegment revision 1, without {@code family}, as the previous release stored them) are read as revision 2
 * through the upcaster by the event store, the user's aggregate, the segments projection (which stores the family, a
 * NOT NULL column: a missing upcast would stop it), the as-of read from the log and a replay, which rebuilds identical
 * rows. The stored rows are never rewritten; new events are written as revision 2.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SchemaEvolutionTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String MEMBERSHIP = "SELECT md5(string_agg(m::text, '|' ORDER BY segment_id, user_id)) FROM segment_membership m";

    @Inject
    DataSource db;

    @Inject
    EventStore eventStore;

    @Inject
    LifecycleCommands commands;

    @Test
    void revisionOneEventsAreReadAsRevisionTwoByTheAggregateTheProjectionAndReplays() throws Exception {
        String user = "evolve-" + RUN;
        Instant t0 = Instant.parse("2020-03-01T10:00:00Z");
        ObjectNode activity = (ObjectNode) Json.mapper().readTree(Files.readString(Path.of("events/domain/ActivityRecorded.schema.json")))
                .path("examples").get(0).deepCopy();
        activity.put("userId", user).put("messageId", user + "-m1").put("at", t0.toString()).put("receivedAt", t0.toString());
        String enteredV1 = "{\"userId\":\"" + user + "\",\"segmentId\":\"rfm:champions\",\"at\":\"" + t0.plus(Duration.ofDays(1))
                + "\",\"evaluation\":7,\"reason\":\"R 5, F 5: Champions\",\"evidence\":{\"r\":5,\"f\":5}}";
        assertThat(EventContract.validate("domain/UserEnteredSegment.schema.json", Json.mapper().readTree(enteredV1)))
                .as("a valid revision 1 event").isEmpty();
        appendRaw(user, 0, "io.ulm.lifecycle.api.ActivityRecorded", "1", activity.toString(), t0);
        appendRaw(user, 1, UserEnteredSegment.class.getName(), "1", enteredV1, t0.plus(Duration.ofDays(1)));

        // the event store reads revision 2
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(user).asStream().toList();
        UserEnteredSegment entered = (UserEnteredSegment) events.get(1).getPayload();
        assertThat(entered).isEqualTo(new UserEnteredSegment(user, "rfm:champions", "rfm", t0.plus(Duration.ofDays(1)), 7,
                "R 5, F 5: Champions", Map.of("r", 5, "f", 5)));

        // the segments projection stores it, family included
        await().atMost(120, TimeUnit.SECONDS).until(() -> memberships(user).equals(List.of("rfm:champions|rfm|7")));

        // the aggregate read it: entering the same segment again is a no-op; leaving it and entering another are events
        record(new RecordSegmentChanges(user, List.of(change("rfm:champions")), List.of(), t0.plus(Duration.ofDays(2)), 8));
        assertThat(eventStore.readEvents(user).asStream().count()).as("no repeated entry").isEqualTo(2);
        record(new RecordSegmentChanges(user, List.of(change("rule:evolved")), List.of(change("rfm:champions")), t0.plus(Duration.ofDays(3)), 9));
        List<? extends DomainEventMessage<?>> after = eventStore.readEvents(user).asStream().toList();
        assertThat(after).hasSize(4);
        assertThat(after.get(2).getPayload()).isInstanceOf(UserLeftSegment.class);
        assertThat(((UserEnteredSegment) after.get(3).getPayload()).family()).isEqualTo("rule");
        await().atMost(120, TimeUnit.SECONDS).until(() -> memberships(user).equals(List.of("rule:evolved|rule|9")));

        // old rows stay as they were written; new ones are revision 2, valid against the revision 2 schema
        assertThat(stored(user, 1)).containsEntry("revision", "1").extractingByKey("payload").asString().doesNotContain("family");
        Map<String, String> newRow = stored(user, 3);
        assertThat(newRow).containsEntry("revision", "2");
        assertThat(EventContract.validate("domain/UserEnteredSegment.v2.schema.json", Json.mapper().readTree(newRow.get("payload")))).isEmpty();

        // the as-of view is folded from the log: on day 1 she was in the RFM segment the old event recorded
        JsonNode asOf = Json.mapper().readTree(Api.reader().get("/v1/users/" + user + "/segments?asOf=" + t0.plus(Duration.ofDays(1)).plusSeconds(60))
                .then().statusCode(200).extract().asString());
        assertThat(asOf.toString()).contains("rfm:champions").doesNotContain("rule:evolved");

        // a replay of the segments projection reads the old events again and rebuilds identical rows
        awaitCaughtUp();
        String before = scalar(MEMBERSHIP);
        Api.admin().post("/v1/admin/projections/segments/replay").then().statusCode(202);
        awaitCaughtUp();
        assertThat(scalar(MEMBERSHIP)).isEqualTo(before);
        assertThat(memberships(user)).containsExactly("rule:evolved|rule|9");
    }

    private static RecordSegmentChanges.Change change(String segment) {
        return new RecordSegmentChanges.Change(segment, "test " + segment, Map.of());
    }

    private void record(RecordSegmentChanges command) {
        QuarkusTransaction.requiringNew().run(() -> commands.send(Map.of(command.userId(), command)));
    }

    /** A row as a previous release wrote it (Axon's JDBC layout: JSON bytes, revision, ISO timestamp). */
    private void appendRaw(String user, long sequence, String payloadType, String revision, String payload, Instant at) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO domain_event_entry (aggregate_identifier, "
                + "sequence_number, type, event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, user);
            ps.setLong(2, sequence);
            ps.setString(3, "UserLifecycle");
            ps.setString(4, UUID.randomUUID().toString());
            ps.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
            ps.setBytes(6, payload.getBytes(StandardCharsets.UTF_8));
            ps.setString(7, revision);
            ps.setString(8, payloadType);
            ps.setString(9, at.toString());
            ps.executeUpdate();
        }
    }

    private Map<String, String> stored(String user, long sequence) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT payload_revision, convert_from(payload, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            ps.setString(1, user);
            ps.setLong(2, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return Map.of("revision", rs.getString(1), "payload", rs.getString(2));
            }
        }
    }

    private List<String> memberships(String user) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT segment_id, family, evaluation FROM segment_membership WHERE user_id = ? ORDER BY segment_id")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3));
                }
            }
        }
        return rows;
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void awaitCaughtUp() {
        await().atMost(180, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
            JsonNode status = Json.mapper().readTree(Api.admin().get("/v1/admin/projections").asString());
            for (JsonNode processor : status.path("processors")) {
                if (processor.path("lag").asLong() > 0 || processor.path("replaying").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }
}
