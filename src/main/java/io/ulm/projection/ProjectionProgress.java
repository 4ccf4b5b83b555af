package io.ulm.projection;

import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How far each projection has read the event log, across all nodes: read from the token store
 * (every segment's position) against the head of the event table. "Caught up" means every event
 * stored so far is reflected in the read models; a position counts the reader's gaps (see handledThrough).
 */
@ApplicationScoped
public class ProjectionProgress {

    /**
     * One processor: the lowest position over its segments, how many events it is behind, and whether it is
     * replaying (rebuilding from the start after a reset).
     */
    public record Processor(String name, int segments, long position, long lag, boolean replaying) {
    }

    public record Status(long head, Map<String, Processor> processors) {
        public boolean caughtUp() {
            return processors.values().stream().allMatch(p -> p.lag() <= 0);
        }
    }

    private final DataSource dataSource;
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();

    public ProjectionProgress(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One segment of a processor: its token's position, how far it is behind the head, its owner (node) if claimed. */
    public record Segment(String processor, int segment, long position, long lag, boolean replaying, String owner) {
    }

    /** The token store read against the head of the event table, in one connection. */
    public record Segments(long head, List<Segment> segments) {
    }

    public Status status() {
        Segments all = segments();
        Map<String, long[]> byProcessor = new TreeMap<>();
        for (Segment s : all.segments()) {
            long[] agg = byProcessor.computeIfAbsent(s.processor(), k -> new long[]{Long.MAX_VALUE, 0, 0});
            agg[0] = Math.min(agg[0], s.position());
            agg[1]++;
            agg[2] += s.replaying() ? 1 : 0;
        }
        Map<String, Processor> processors = new TreeMap<>();
        byProcessor.forEach((name, agg) -> processors.put(name,
                new Processor(name, (int) agg[1], agg[0], all.head() - agg[0], agg[2] > 0)));
        return new Status(all.head(), processors);
    }

    /** Every segment of every processor (projections, relays, sagas), across all nodes. */
    public Segments segments() {
        try (Connection c = dataSource.getConnection()) {
            long head;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(global_index), -1) FROM domain_event_entry");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                head = rs.getLong(1);
            }
            List<Segment> segments = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT processor_name, segment, token, token_type, owner FROM token_entry ORDER BY processor_name, segment");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TrackingToken token = token(rs.getBytes(3), rs.getString(4));
                    long position = handledThrough(c, token);
                    segments.add(new Segment(rs.getString(1), rs.getInt(2), position, head - position, replaying(token), rs.getString(5)));
                }
            }
            return new Segments(head, segments);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read projection progress", e);
        }
    }

    /**
     * The highest global index up to which every stored event has been handled. A token's index alone says too
     * much: the reader skips an event whose transaction had not committed yet when a later one was read, and keeps
     * it as a gap to handle once it appears. A gap that is now in the table is an event not handled yet; a gap that
     * is not (a rolled-back insert, or one still in flight and so not in the head either) holds nothing back.
     */
    private static long handledThrough(Connection c, TrackingToken token) throws SQLException {
        if (token == null) {
            return -1;
        }
        long index = token.position().orElse(-1);
        Optional<GapAwareTrackingToken> gapAware = WrappedToken.unwrap(token, GapAwareTrackingToken.class);
        if (gapAware.isEmpty() || !gapAware.get().hasGaps()) {
            return index;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT min(global_index) FROM domain_event_entry WHERE global_index = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", gapAware.get().getGaps().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long firstUnhandled = rs.getLong(1);
                return rs.wasNull() ? index : Math.min(index, firstUnhandled - 1);
            }
        }
    }

    /** Waits until every projection reflects every event stored when the wait began. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long target = status().head();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Status now = status();
            if (now.processors().values().stream().allMatch(p -> p.position() >= target)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private TrackingToken token(byte[] token, String type) {
        return token == null || type == null ? null
                : serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
    }

    /** A replay is over once the token has caught up with where it stood at the reset. */
    private static boolean replaying(TrackingToken token) {
        if (!(token instanceof ReplayToken replay)) {
            return false;
        }
        return replay.getCurrentToken() == null || !replay.getCurrentToken().covers(replay.getTokenAtReset());
    }
}
