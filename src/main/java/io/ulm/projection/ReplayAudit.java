package io.ulm.projection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.platform.AxonRuntime;
import io.ulm.platform.Json;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replay audit: rebuild every projection from the event log into shadow tables and compare them with
 * the live tables. The live side is read in ONE snapshot transaction together with the projection's tokens
 * (a projection commits rows and token together), so the shadow replays exactly the events the live tables
 * reflect — each event goes to the shadow only if the live token of its segment covers it. Live processing
 * goes on meanwhile; nothing is paused, decided or sent.
 */
@ApplicationScoped
public class ReplayAudit {

    static final String LIVE = "replay_audit_live";
    static final String SHADOW = "replay_audit_shadow";
    private static final int BATCH = 1000;
    private static final int EXAMPLES = 5;

    /** One table: rows and checksum on both sides, and a few rows present on only one side. */
    public record TableReport(String table, long liveRows, long shadowRows, String liveChecksum, String shadowChecksum,
                              boolean identical, List<String> onlyLive, List<String> onlyShadow) {
    }

    public record ProjectionReport(String projection, long eventsReplayed, boolean identical, List<TableReport> tables) {
    }

    public record Report(boolean identical, double seconds, List<ProjectionReport> projections) {
    }

    private final ProjectionReplays replays;
    private final AxonRuntime axon;
    private final DataSource dataSource;
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();

    ReplayAudit(ProjectionReplays replays, AxonRuntime axon, DataSource dataSource) {
        this.replays = replays;
        this.axon = axon;
        this.dataSource = dataSource;
    }

    public synchronized Report run() throws SQLException {
        long started = System.nanoTime();
        List<Projection> audited = replays.projections().values().stream().filter(p -> !p.tables().isEmpty()).toList();
        Map<String, Map<Integer, TrackingToken>> tokens = snapshotLive(audited);
        Map<String, Long> replayed = rebuildShadows(audited, tokens);
        List<ProjectionReport> reports = new ArrayList<>();
        for (Projection projection : audited) {
            List<TableReport> tables = new ArrayList<>();
            for (String table : projection.tables()) {
                tables.add(compare(table));
            }
            reports.add(new ProjectionReport(projection.name(), replayed.get(projection.name()),
                    tables.stream().allMatch(TableReport::identical), tables));
        }
        return new Report(reports.stream().allMatch(ProjectionReport::identical), (System.nanoTime() - started) / 1e9, reports);
    }

    /** Copies every projection's live tables and reads their tokens in ONE snapshot. */
    private Map<String, Map<Integer, TrackingToken>> snapshotLive(List<Projection> audited) throws SQLException {
        Map<String, Map<Integer, TrackingToken>> tokens = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // said in SQL, first in the transaction: the pool must not be trusted to apply a JDBC isolation level,
            // and under READ COMMITTED each copy would see batches committed after the tokens were read
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            try (ResultSet rs = s.executeQuery("SELECT processor_name, segment, token, token_type FROM token_entry ORDER BY processor_name, segment")) {
                while (rs.next()) {
                    TrackingToken token = rs.getBytes(3) == null ? null : serializer.deserialize(
                            new SimpleSerializedObject<>(rs.getBytes(3), byte[].class, rs.getString(4), null));
                    tokens.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getInt(2), token);
                }
            }
            s.execute("DROP SCHEMA IF EXISTS " + LIVE + " CASCADE");
            s.execute("CREATE SCHEMA " + LIVE);
            for (Projection projection : audited) {
                for (String table : projection.tables()) {
                    s.execute("CREATE TABLE " + LIVE + "." + table + " AS SELECT * FROM public." + table);
                }
            }
            c.commit();
        }
        return tokens;
    }

    /** One shadow projection being rebuilt: its handler, its live tokens per segment and its pending batch. */
    private static final class Shadow {
        final String name;
        final AnnotationEventHandlerAdapter handler;
        final Map<Integer, TrackingToken> tokens;
        final int[] segmentIds;
        final List<EventMessage<?>> batch = new ArrayList<>(BATCH);
        long replayed;

        Shadow(String name, AnnotationEventHandlerAdapter handler, Map<Integer, TrackingToken> tokens) {
            this.name = name;
            this.handler = handler;
            this.tokens = tokens;
            // sorted: Segment.computeSegment derives each segment's mask from the ids in ascending order
            this.segmentIds = tokens.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        }
    }

    /**
     * Replays the log once, giving each shadow projection every event its live tokens had processed, in
     * batches of the live processor's size.
     */
    private Map<String, Long> rebuildShadows(List<Projection> audited, Map<String, Map<Integer, TrackingToken>> tokens)
            throws SQLException {
        List<Shadow> shadows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SHADOW + " CASCADE");
            s.execute("CREATE SCHEMA " + SHADOW);
            for (Projection projection : audited) {
                for (String table : projection.tables()) {
                    s.execute("CREATE TABLE " + SHADOW + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
                }
                shadows.add(new Shadow(projection.name(), new AnnotationEventHandlerAdapter(projection.shadow(SHADOW),
                        axon.configuration().parameterResolverFactory()), tokens.getOrDefault(projection.name(), Map.of())));
            }
        }
        SequentialPerAggregatePolicy policy = SequentialPerAggregatePolicy.instance();
        try (BlockingStream<TrackedEventMessage<?>> stream = axon.configuration().eventStore().openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                Object sequence = policy.getSequenceIdentifierFor(event);
                for (Shadow shadow : shadows) {
                    TrackingToken live = shadow.tokens.get(segmentFor(sequence == null ? event.getIdentifier() : sequence, shadow.segmentIds));
                    if (processed(live, event.trackingToken())) {
                        shadow.batch.add(event);
                        shadow.replayed++;
                        if (shadow.batch.size() == BATCH) {
                            handle(shadow.handler, shadow.batch);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, Long> replayed = new LinkedHashMap<>();
        for (Shadow shadow : shadows) {
            handle(shadow.handler, shadow.batch);
            replayed.put(shadow.name, shadow.replayed);
        }
        return replayed;
    }

    /**
     * Whether the live token had processed the event. Not {@code TrackingToken.covers}: that also demands the
     * event's own token to carry the live token's older gaps (e.g. a sequence that started at 1 leaves a
     * permanent gap at 0), which wrongly excludes the first events of the log.
     */
    static boolean processed(TrackingToken live, TrackingToken event) {
        TrackingToken current = live instanceof ReplayToken replay ? replay.getCurrentToken() : live;
        if (current == null || event == null) {
            return false;
        }
        long index = event.position().orElse(Long.MAX_VALUE);
        if (current instanceof GapAwareTrackingToken gapAware) {
            return index <= gapAware.getIndex() && !gapAware.getGaps().contains(index);
        }
        return current.covers(event);
    }

    static int segmentFor(Object sequence, int[] segmentIds) {
        for (int id : segmentIds) {
            if (Segment.computeSegment(id, segmentIds).matches(sequence)) {
                return id;
            }
        }
        return -1;
    }

    /** One batch in one unit of work and transaction, as the live processor handles it. */
    private void handle(AnnotationEventHandlerAdapter handler, List<EventMessage<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<EventMessage<?>> events = List.copyOf(batch);
        batch.clear();
        QuarkusTransaction.requiringNew().run(() -> {
            BatchingUnitOfWork<EventMessage<?>> uow = new BatchingUnitOfWork<>(events);
            try {
                uow.executeWithResult(() -> handler.handle(uow.getMessage()));
            } catch (Exception e) {
                throw new IllegalStateException("Shadow replay failed", e);
            }
            if (uow.getExecutionResult() != null && uow.getExecutionResult().isExceptionResult()) {
                throw new IllegalStateException("Shadow replay failed", uow.getExecutionResult().getExceptionResult());
            }
        });
    }

    private TableReport compare(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String live = LIVE + "." + table;
            String shadow = SHADOW + "." + table;
            long[] rows = new long[2];
            String[] sums = new String[2];
            String[] sides = {live, shadow};
            for (int i = 0; i < 2; i++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM "
                        + sides[i] + " r")) {
                    rs.next();
                    rows[i] = rs.getLong(1);
                    sums[i] = rs.getString(2);
                }
            }
            List<String> onlyLive = examples(s, live, shadow);
            List<String> onlyShadow = examples(s, shadow, live);
            return new TableReport(table, rows[0], rows[1], sums[0], sums[1], sums[0].equals(sums[1]) && rows[0] == rows[1],
                    onlyLive, onlyShadow);
        }
    }

    private static List<String> examples(Statement s, String left, String right) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT x::text FROM (SELECT * FROM " + left + " EXCEPT ALL SELECT * FROM " + right
                + ") x ORDER BY 1 LIMIT " + EXAMPLES)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
