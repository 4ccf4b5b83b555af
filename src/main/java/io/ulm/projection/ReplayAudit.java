package io.ulm.projection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.platform.AxonRuntime;
import io.ulm.platform.Json;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
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
        List<ProjectionReport> reports = new ArrayList<>();
        for (Projection projection : replays.projections().values()) {
            if (!projection.tables().isEmpty()) {
                reports.add(audit(projection));
            }
        }
        return new Report(reports.stream().allMatch(ProjectionReport::identical), (System.nanoTime() - started) / 1e9, reports);
    }

    private ProjectionReport audit(Projection projection) throws SQLException {
        Map<Integer, TrackingToken> tokens = snapshotLive(projection);
        long replayed = rebuildShadow(projection, tokens);
        List<TableReport> tables = new ArrayList<>();
        for (String table : projection.tables()) {
            tables.add(compare(table));
        }
        return new ProjectionReport(projection.name(), replayed, tables.stream().allMatch(TableReport::identical), tables);
    }

    /** Copies the live tables and reads the projection's tokens in one snapshot. */
    private Map<Integer, TrackingToken> snapshotLive(Projection projection) throws SQLException {
        Map<Integer, TrackingToken> tokens = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (ResultSet rs = s.executeQuery("SELECT segment, token, token_type FROM token_entry WHERE processor_name = '"
                    + projection.name() + "'")) {
                while (rs.next()) {
                    tokens.put(rs.getInt(1), rs.getBytes(2) == null ? null : serializer.deserialize(
                            new SimpleSerializedObject<>(rs.getBytes(2), byte[].class, rs.getString(3), null)));
                }
            }
            s.execute("DROP SCHEMA IF EXISTS " + LIVE + " CASCADE");
            s.execute("CREATE SCHEMA " + LIVE);
            for (String table : projection.tables()) {
                s.execute("CREATE TABLE " + LIVE + "." + table + " AS SELECT * FROM public." + table);
            }
            c.commit();
        }
        return tokens;
    }

    /** Replays into empty shadow tables every event that the live tokens cover. */
    private long rebuildShadow(Projection projection, Map<Integer, TrackingToken> tokens) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SHADOW + " CASCADE");
            s.execute("CREATE SCHEMA " + SHADOW);
            for (String table : projection.tables()) {
                s.execute("CREATE TABLE " + SHADOW + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
            }
        }
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projection.shadow(SHADOW),
                axon.configuration().parameterResolverFactory());
        int[] segmentIds = tokens.keySet().stream().mapToInt(Integer::intValue).toArray();
        SequentialPerAggregatePolicy policy = SequentialPerAggregatePolicy.instance();
        long replayed = 0;
        List<EventMessage<?>> batch = new ArrayList<>(BATCH);
        try (BlockingStream<TrackedEventMessage<?>> stream = axon.configuration().eventStore().openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                Object sequence = policy.getSequenceIdentifierFor(event);
                TrackingToken live = tokens.get(segmentFor(sequence == null ? event.getIdentifier() : sequence, segmentIds));
                if (live != null && live.covers(event.trackingToken())) {
                    batch.add(event);
                    replayed++;
                }
                if (batch.size() == BATCH) {
                    handle(handler, batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        handle(handler, batch);
        return replayed;
    }

    private static int segmentFor(Object sequence, int[] segmentIds) {
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
