package io.ulm.platform;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fair share of each pooled streaming processor's segments for this node, among the ULM nodes alive on the same
 * database. Without it the first node to start claims every segment and the others idle (Axon 4 balances segments
 * only with Axon Server). Axon's coordinator asks for the share on every cycle, releases what it holds above it and
 * claims up to it, so a joining node gets segments and a dead node's segments are taken over once their claims time out.
 *
 * <p>A node is alive while it holds connections to the database: every connection of a node carries
 * {@code application_name = ulm-node:<node id>} (set by {@link UlmMain}), which PostgreSQL drops the moment the process
 * dies (a {@code kill -9} closes its sockets). No table and no heartbeat: the database that arbitrates the segment claims
 * also says who is there. Nodes are ranked by name; with {@code s} segments and {@code n} nodes each node gets
 * {@code s / n} and the first {@code s % n} one more, so 6 segments on 3 nodes are 2, 2, 2 and 4 are 2, 1, 1. A share is
 * never below one, so a processor with fewer segments than nodes (the relays, the saga) runs wherever a segment is free.
 * The counts are refreshed on a thread of their own: the coordinator never waits for the database.
 */
public final class SegmentBalancer implements MaxSegmentProvider {

    public static final String APPLICATION_PREFIX = "ulm-node:";
    /** PostgreSQL keeps at most NAMEDATALEN - 1 bytes of an application name. */
    private static final int MAX_NAME_BYTES = 63;
    private static final Logger LOG = Logger.getLogger(SegmentBalancer.class);
    private static final String NODES = "SELECT DISTINCT application_name FROM pg_stat_activity "
            + "WHERE datname = current_database() AND application_name LIKE '" + APPLICATION_PREFIX + "%'";
    private static final String SEGMENTS = "SELECT processor_name, count(*) FROM token_entry GROUP BY processor_name";

    private final String self;
    private final ConnectionProvider connections;
    private final int defaultSegments;
    private final Duration interval;
    private volatile View view;
    private ScheduledExecutorService refresher;

    /** Who is alive and how many segments each processor has, as last read. */
    record View(List<String> nodes, Map<String, Integer> segments) {
    }

    public SegmentBalancer(String nodeId, ConnectionProvider connections, int defaultSegments, Duration interval) {
        this.self = applicationName(nodeId);
        this.connections = connections;
        this.defaultSegments = defaultSegments;
        this.interval = interval;
        this.view = new View(List.of(self), Map.of());
    }

    /** The {@code application_name} of a node's connections, as PostgreSQL stores it. */
    public static String applicationName(String nodeId) {
        String name = APPLICATION_PREFIX + nodeId;
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_NAME_BYTES) {
            return name;
        }
        // ids are ASCII in practice (pid@host); cut by characters until it fits
        while (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    @Override
    public int getMaxSegments(String processor) {
        View v = view;
        return share(v.segments().getOrDefault(processor, defaultSegments), v.nodes(), self);
    }

    /** This node's share of {@code segments} among {@code nodes} (this node counted even when not listed). */
    static int share(int segments, List<String> nodes, String self) {
        TreeSet<String> live = new TreeSet<>(nodes);
        live.add(self);
        int rank = live.headSet(self).size();
        int share = segments / live.size() + (rank < segments % live.size() ? 1 : 0);
        return Math.max(1, share);
    }

    /** The live nodes as last read (for logs and tests). */
    public List<String> nodes() {
        return view.nodes();
    }

    /** Reads the view once now, then keeps it fresh until {@link #stop()}. */
    public synchronized void start() {
        refresh();
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ulm-segment-balancer");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    void refresh() {
        try (Connection c = connections.getConnection(); Statement s = c.createStatement()) {
            List<String> nodes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(NODES)) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
            Map<String, Integer> segments = new HashMap<>();
            try (ResultSet rs = s.executeQuery(SEGMENTS)) {
                while (rs.next()) {
                    segments.put(rs.getString(1), rs.getInt(2));
                }
            }
            View next = new View(List.copyOf(nodes), Map.copyOf(segments));
            if (!new TreeSet<>(next.nodes()).equals(new TreeSet<>(view.nodes()))) {
                LOG.infof("Live ULM nodes on this database: %s (this node: %s)", new TreeSet<>(next.nodes()), self);
            }
            view = next;
        } catch (SQLException | RuntimeException e) {
            // keep the last view: a lost count only delays a rebalance, claims stay arbitrated by the token store
            LOG.debugf("Could not count the live nodes: %s", e.getMessage());
        }
    }
}
