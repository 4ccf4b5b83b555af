package io.ulm.bench;

import io.ulm.it.UlmCluster;
import io.ulm.it.UlmProcess;
import io.ulm.platform.EmbeddedDatabase;
import io.ulm.simulation.SimulatedMessage;
import io.ulm.simulation.SimulationSettings;
import io.ulm.simulation.Simulator;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Scale-out benchmark ({@code ./mvnw -Pbench verify -Dit.test=ScalingBench}; docs/scaling.md): the same seeded simulated
 * stream ingested over HTTP into 1, 2 and 3 nodes of the packaged service sharing one PostgreSQL, each run on a fresh
 * database. Per run: ingest rate (messages acknowledged per second), end-to-end rate (until every projection has caught
 * up), a projection rebuild (tokens and projection tables dropped, nodes restarted, until caught up again) and, per
 * node and for PostgreSQL, CPU (cores used on average) and peak resident memory. Figures go to docs/scaling.md.
 */
class ScalingBench {

    private static final List<Integer> NODES = parse(System.getProperty("bench.nodes", "1,2,3"));
    private static final int USERS = Integer.getInteger("bench.users", 2_000);
    private static final int DAYS = Integer.getInteger("bench.days", 120);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 6);
    private static final int SEGMENTS = Integer.getInteger("bench.segments", 6);
    private static final String HEAP = System.getProperty("bench.heap", "1g");
    private static final int BATCH = 100;
    /** The projections' processors and the tables each one writes (their writers' TABLES lists). */
    private static final Map<String, List<String>> PROJECTIONS = Map.of(
            "user-profile", List.of("user_profile", "user_event_count", "user_item", "user_trait", "user_identity"),
            "analytics", List.of("analytics_stage_transition", "analytics_activity_day", "analytics_acquisition"),
            "features", List.of("user_feature", "user_feature_day", "user_item_interest"),
            "catalogue", List.of("item"),
            "interest-text", List.of("interest_user_item", "interest_user_text"),
            "segments", List.of("segment_membership"));

    private EmbeddedDatabase postgres;

    /** What one cluster size measured. */
    record Result(int nodes, long messages, long events, double ingestPerSecond, double endToEndPerSecond,
                  double rebuildPerSecond, List<Usage> ingestUsage, List<Usage> rebuildUsage) {
    }

    @Test
    void ingestAndProjectionsOnOneTwoAndThreeNodes() throws Exception {
        postgres = EmbeddedDatabase.start(null, 0, true);
        Usage.watchPostgres(postgres.jdbcUrl());
        List<SimulatedMessage> stream = new Simulator(SimulationSettings.defaults().withSeed(11).withScale(USERS, DAYS, DAYS / 2))
                .stream().toList();
        List<Result> results = new ArrayList<>();
        for (int nodes : NODES) {
            results.add(run(nodes, stream));
        }
        String report = report(results, stream.size());
        System.out.println(report);
        Files.writeString(Path.of("target", "scaling-bench.md"), report);
    }

    private Result run(int nodes, List<SimulatedMessage> stream) throws Exception {
        String db = "scale_" + nodes;
        execute("ulm", "CREATE DATABASE " + db);
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + db;
        Path logs = Files.createDirectories(Path.of("target", "scaling-bench", db));
        Map<String, String> env = Map.of("ULM_AXON_SEGMENTS", Integer.toString(SEGMENTS),
                "ULM_LIFECYCLE_ALLOWED_LATENESS", "P1D", "ULM_SEGMENTS_EVERY", "off");
        List<String> jvm = List.of("-Xmx" + HEAP);
        double ingest;
        double endToEnd;
        List<Usage> ingestUsage;
        try (UlmCluster cluster = new UlmCluster(url, env, jvm, logs.resolve("ingest"))) {
            Files.createDirectories(logs.resolve("ingest"));
            cluster.start(nodes);
            Usage.Meter meter = Usage.start(cluster.nodes());
            long t0 = System.nanoTime();
            send(cluster, stream);
            double acked = seconds(t0);
            awaitCaughtUp(cluster);
            double caughtUp = seconds(t0);
            ingestUsage = meter.stop();
            ingest = stream.size() / acked;
            endToEnd = stream.size() / caughtUp;
        }
        long events = count(url, "SELECT count(*) FROM domain_event_entry");
        dropProjections(url);
        double rebuild;
        List<Usage> rebuildUsage;
        try (UlmCluster cluster = new UlmCluster(url, env, jvm, logs.resolve("rebuild"))) {
            Files.createDirectories(logs.resolve("rebuild"));
            long t0 = System.nanoTime();
            cluster.start(nodes);
            Usage.Meter meter = Usage.start(cluster.nodes());
            awaitCaughtUp(cluster);
            rebuildUsage = meter.stop();
            rebuild = events / seconds(t0);
        }
        return new Result(nodes, stream.size(), events, ingest, endToEnd, rebuild, ingestUsage, rebuildUsage);
    }

    /** Client lanes in parallel, each user always on the same lane (in order), lane i on node i mod n. */
    private static void send(UlmCluster cluster, List<SimulatedMessage> stream) throws Exception {
        List<List<SimulatedMessage>> lanes = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            lanes.add(new ArrayList<>());
        }
        stream.forEach(m -> lanes.get(Math.floorMod(m.userId().hashCode(), CLIENTS)).add(m));
        String auth = "Basic " + Base64.getEncoder().encodeToString((UlmProcess.ADMIN_KEY + ":").getBytes(StandardCharsets.UTF_8));
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int lane = 0; lane < CLIENTS; lane++) {
                List<SimulatedMessage> mine = lanes.get(lane);
                UlmCluster.Node node = cluster.nodes().get(lane % cluster.nodes().size());
                done.add(pool.submit(() -> {
                    for (int from = 0; from < mine.size(); from += BATCH) {
                        StringBuilder body = new StringBuilder("{\"batch\":[");
                        List<SimulatedMessage> batch = mine.subList(from, Math.min(mine.size(), from + BATCH));
                        for (int i = 0; i < batch.size(); i++) {
                            body.append(i == 0 ? "" : ",").append(batch.get(i).json());
                        }
                        HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create(node.base() + "/v1/batch"))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every processor has handled the whole log (asked of the first node). */
    private static void awaitCaughtUp(UlmCluster cluster) throws Exception {
        String base = cluster.nodes().get(0).base();
        while (true) {
            String status = cluster.http().send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/projections"))
                    .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (status.contains("\"lag\":0") && !status.matches(".*\"lag\":[1-9].*")) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** A rebuild from the first event: the projections' tokens and tables go (the nodes are stopped). */
    private static void dropProjections(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            for (Map.Entry<String, List<String>> p : PROJECTIONS.entrySet()) {
                s.execute("DELETE FROM token_entry WHERE processor_name = '" + p.getKey() + "'");
                s.execute("TRUNCATE " + String.join(", ", p.getValue()));
            }
        }
    }

    private String report(List<Result> results, int messages) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n==== ULM scaling benchmark, %s, %d cores, Java %s ====%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        out.append(String.format("stream: %,d simulated messages (%d users, %d days), %d HTTP client lanes, %d segments per "
                + "projection, heap %s per node, one PostgreSQL (embedded, shared)%n%n", messages, USERS, DAYS, CLIENTS, SEGMENTS, HEAP));
        out.append("| nodes | ingest msg/s (acked) | end-to-end msg/s (read models caught up) | rebuild events/s (incl. JVM start) "
                + "| ingest: CPU cores per node | ingest: CPU cores PostgreSQL | peak RSS per node (MiB) |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format("| %d | %,.0f | %,.0f | %,.0f (%,d events) | %s | %.2f | %s |%n", r.nodes(), r.ingestPerSecond(),
                    r.endToEndPerSecond(), r.rebuildPerSecond(), r.events(), Usage.cores(r.ingestUsage(), false),
                    r.ingestUsage().get(r.ingestUsage().size() - 1).cores(), Usage.rss(r.ingestUsage())));
        }
        out.append("\nRebuild phase, CPU cores per node / PostgreSQL: ");
        for (Result r : results) {
            out.append(String.format("%d node(s): %s / %.2f; ", r.nodes(), Usage.cores(r.rebuildUsage(), false),
                    r.rebuildUsage().get(r.rebuildUsage().size() - 1).cores()));
        }
        return out.append('\n').toString();
    }

    private void execute(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + db, "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static List<Integer> parse(String list) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
