package io.ulm.audit;

import io.ulm.platform.UserIdResolution;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.UnknownSerializedType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit's view of the write side: a user's events straight from the event store (never from a read
 * model), and the id resolution of {@code GET /v1/users/{id}} applied to the log. Blocking (JDBC):
 * call it on a worker thread.
 */
@ApplicationScoped
public class AuditLog {

    /** One stored event of a user: its sequence number, when it was stored, its type and payload. */
    public record LoggedEvent(long sequence, Instant storedAt, String type, Object payload) {

        /** The simple name of the event type ({@code StageChanged}), also for types this code does not know. */
        public String simpleType() {
            int dot = type.lastIndexOf('.');
            String simple = dot < 0 ? type : type.substring(dot + 1);
            int inner = simple.lastIndexOf('$');
            return inner < 0 ? simple : simple.substring(inner + 1);
        }

        /** The payload as JSON (what the event store holds), for known and unknown types alike. */
        public JsonNode json() {
            if (payload instanceof UnknownSerializedType unknown) {
                try {
                    return JSON.readTree(unknown.readData(byte[].class));
                } catch (java.io.IOException | RuntimeException e) {
                    return unknown.readData(JsonNode.class);
                }
            }
            if (payload instanceof JsonNode node) {
                return node;
            }
            return JSON.valueToTree(payload);
        }
    }

    /** ULM's event JSON, keeping numbers as they are (30, not 3E+1). */
    private static final ObjectMapper JSON = Json.mapper().copy().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** The link of the id (first parameter) made at or before an instant (second parameter); null when none. */
    private static final String LINK = "WITH lookup AS (SELECT CAST(? AS text) AS id) SELECT ("
            + UserIdResolution.linked("lookup.id", "l.linked_at <= ?") + ") FROM lookup";

    private final EventStore eventStore;
    private final DataSource dataSource;

    AuditLog(EventStore eventStore, DataSource dataSource) {
        this.eventStore = eventStore;
        this.dataSource = dataSource;
    }

    /** Every event of the aggregate, in sequence order (from the first: snapshots are not events). */
    public List<LoggedEvent> events(String aggregateId) {
        List<LoggedEvent> out = new ArrayList<>();
        // readEvents(id) would start at the latest snapshot; the audit wants the whole history
        DomainEventStream stream = eventStore.readEvents(aggregateId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> m = stream.next();
            Object payload = m.getPayload();
            String type = payload instanceof UnknownSerializedType unknown ? unknown.serializedType().getName()
                    : m.getPayloadType().getName();
            out.add(new LoggedEvent(m.getSequenceNumber(), m.getTimestamp(), type, payload));
        }
        return out;
    }

    /** True when the aggregate has at least one event. */
    public boolean exists(String aggregateId) {
        return eventStore.lastSequenceNumberFor(aggregateId).isPresent();
    }

    /**
     * The user {@code id} resolves to now, with the rules of the profile (docs/api.md), on the log: the id itself
     * if it has events, else the user it is linked to (as an id, then as {@code anon:<id>}), else {@code anon:<id>}.
     * Empty when none of these has events.
     */
    public Optional<String> resolve(String id) {
        return UserIdResolution.resolve(id, user -> exists(user) ? Optional.of(user) : Optional.empty(), linked -> link(linked, null));
    }

    /**
     * The user {@code id} was linked to at {@code asOf} (null: now): links made by messages whose event
     * time is at or before it; an exact linked id wins over {@code anon:<id>}.
     */
    public Optional<String> link(String id, Instant asOf) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LINK)) {
            ps.setString(1, id);
            if (asOf == null) {
                ps.setObject(2, "infinity", java.sql.Types.OTHER);
            } else {
                ps.setObject(2, asOf.atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read identity links", e);
        }
    }

    /** The user a profile id ({@code anon:<id>}, an aliased id) was linked to at {@code asOf}, if any. */
    public Optional<String> linkedTo(String profileId, Instant asOf) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM identity_link WHERE linked_id = ? AND linked_at <= ?")) {
            ps.setString(1, profileId);
            ps.setObject(2, asOf.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read identity links", e);
        }
    }
}
