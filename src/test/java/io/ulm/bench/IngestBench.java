package io.ulm.bench;

import static io.ulm.bench.BenchHttp.awaitCaughtUp;
import static io.ulm.bench.BenchHttp.awaitReady;
import static io.ulm.bench.BenchHttp.freePort;
import static io.ulm.bench.BenchHttp.post;

import io.ulm.it.UlmProcess;
import io.ulm.platform.EmbeddedDatabase;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The ingest benchmark ({@code ./mvnw -Pbench verify}): the packaged service on the embedded
 * PostgreSQL, driven over HTTP, each figure printed beside a raw batched JDBC INSERT of the same
 * data into a plain table of the same PostgreSQL in the same run. Results go to docs/benchmarks.md.
 */
class IngestBench {

    private static final int USERS = Integer.getInteger("bench.users", 2_000);
    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final int BATCH = Integer.getInteger("bench.batch", 100);
    private static final int USERS_PER_BATCH = Integer.getInteger("bench.usersPerBatch", 10);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);

    private EmbeddedDatabase postgres;

    @Test
    void ingestAndImport() throws Exception {
        postgres = EmbeddedDatabase.start(null, 0, true);
        for (String db : List.of("raw", "live", "retail")) {
            execute("ulm", "CREATE DATABASE " + db);
        }
        List<List<String>> batches = batches();
        double raw = rawInsert(batches);
        double[] live = ingestOverHttp(batches);
        double[] retail = onlineRetail();

        System.out.printf("%n==== ULM ingest benchmark, %s, %d cores, Java %s ====%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("events: %,d in batches of %d (%d users per batch, %,d users), %d HTTP clients%n",
                EVENTS, BATCH, USERS_PER_BATCH, USERS, CLIENTS);
        System.out.printf("raw batched JDBC INSERT, same events, plain table:   %,10.0f events/s%n", raw);
        System.out.printf("ULM POST /v1/batch, projections caught up:            %,10.0f events/s  (%.2f x raw)%n", live[0], live[0] / raw);
        System.out.printf("sequential read of the event table (%,d events):   %,10.0f events/s%n", (long) live[3], live[2]);
        System.out.printf("replay of the user-profile projection from zero:   %,10.0f events/s  (%.2f x read)%n", live[1], live[1] / live[2]);
        System.out.printf("Online Retail raw rows, batched JDBC INSERT:           %,10.1f s (%,d rows)%n", retail[1], (long) retail[2]);
        System.out.printf("Online Retail import (CLI: JVM start to read models caught up): %,5.1f s%n", retail[0]);
    }

    /** Track messages in batches: each batch holds USERS_PER_BATCH users, events spread over a day each. */
    private static List<List<String>> batches() {
        List<List<String>> batches = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(3_600);
        int perUser = BATCH / USERS_PER_BATCH;
        for (int b = 0; b * BATCH < EVENTS; b++) {
            List<String> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int user = (b * USERS_PER_BATCH + i / perUser) % USERS;
                long n = (long) b * BATCH + i;
                String event = n % 20 == 0 ? "Order Completed" : "Product Viewed";
                batch.add("{\"type\":\"track\",\"messageId\":\"bench-" + n + "\",\"userId\":\"bench-user-" + user
                        + "\",\"event\":\"" + event + "\",\"timestamp\":\"" + start.plusMillis(n * 10) + "\",\"properties\":{\"product_id\":\"p-"
                        + (n % 5_000) + "\",\"revenue\":" + (n % 20 == 0 ? "19.99" : "0") + "}}");
            }
            batches.add(batch);
        }
        return batches;
    }

    private double rawInsert(List<List<String>> batches) throws Exception {
        execute("raw", "CREATE TABLE raw_event (message_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, payload JSONB NOT NULL)");
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url("raw") + "?reWriteBatchedInserts=true", "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_event VALUES (?, ?, ?::jsonb)")) {
                for (List<String> batch : batches) {
                    for (String message : batch) {
                        int id = message.indexOf("bench-");
                        ps.setString(1, message.substring(id, message.indexOf('"', id)));
                        int user = message.indexOf("bench-user-");
                        ps.setString(2, message.substring(user, message.indexOf('"', user)));
                        ps.setString(3, message);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        return EVENTS / ((System.nanoTime() - started) / 1e9);
    }

    /** [ingest events/s, projection replay events/s, sequential read events/s, events in the log]. */
    private double[] ingestOverHttp(List<List<String>> batches) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("ulm-bench-service", ".log");
        Process service = UlmProcess.start(url("live"), log, java.util.Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            awaitReady(http, base, service, log);
            long started = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> sent = new ArrayList<>();
            for (List<String> batch : batches) {
                String body = "{\"batch\":[" + String.join(",", batch) + "]}";
                sent.add(clients.submit(() -> post(http, base + "/v1/batch", body)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            clients.shutdown();
            double accepted = (System.nanoTime() - started) / 1e9;
            awaitCaughtUp(http, base);
            double caughtUp = (System.nanoTime() - started) / 1e9;
            System.out.printf("ULM: all %,d events accepted after %.1f s (%,.0f events/s), projections caught up after %.1f s%n",
                    EVENTS, accepted, EVENTS / accepted, caughtUp);
            long[] read = sequentialRead();
            double readRate = read[0] / (read[1] / 1e9);
            long replayStarted = System.nanoTime();
            HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/projections/user-profile/replay"))
                    .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (replay.statusCode() != 202) {
                throw new IllegalStateException("replay: HTTP " + replay.statusCode() + " " + replay.body());
            }
            awaitCaughtUp(http, base);
            double replaySeconds = (System.nanoTime() - replayStarted) / 1e9;
            return new double[]{EVENTS / caughtUp, read[0] / replaySeconds, readRate, read[0]};
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Reads every event row in log order, as a projection replay must: [events, nanoseconds]. */
    private long[] sequentialRead() throws Exception {
        long events = 0;
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url("live"), "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT global_index, aggregate_identifier, payload_type, payload, "
                    + "meta_data, time_stamp FROM domain_event_entry ORDER BY global_index")) {
                ps.setFetchSize(1_000);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getBytes(4);
                        events++;
                    }
                }
            }
        }
        return new long[]{events, System.nanoTime() - started};
    }

    /** [ULM import seconds, raw insert seconds, raw rows]. */
    private double[] onlineRetail() throws Exception {
        Path file = Path.of(System.getProperty("shared.dir", "../shared"), "datasets/online-retail/online_retail.csv.gz");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("Online Retail data set not found at " + file.toAbsolutePath());
        }
        execute("raw", "CREATE TABLE retail_row (invoice TEXT, stock_code TEXT, description TEXT, quantity INT, "
                + "invoice_date TEXT, unit_price NUMERIC, customer TEXT, country TEXT)");
        long rows = 0;
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url("raw") + "?reWriteBatchedInserts=true", "postgres", "postgres");
             Reader reader = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO retail_row VALUES (?, ?, ?, ?, ?, ?::numeric, ?, ?)")) {
                for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                    for (int i = 0; i < 8; i++) {
                        if (i == 3) {
                            ps.setInt(4, Integer.parseInt(r.get(3)));
                        } else {
                            ps.setString(i + 1, r.get(i));
                        }
                    }
                    ps.addBatch();
                    if (++rows % 1_000 == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        }
        double rawSeconds = (System.nanoTime() - started) / 1e9;
        Path log = Files.createTempFile("ulm-bench-import", ".log");
        long importStarted = System.nanoTime();
        Process importer = UlmProcess.start(url("retail"), log, "import", "online-retail", file.toString());
        if (!importer.waitFor(10, TimeUnit.MINUTES) || importer.exitValue() != 0) {
            throw new AssertionError("the import failed; see " + log);
        }
        return new double[]{(System.nanoTime() - importStarted) / 1e9, rawSeconds, rows};
    }




    private void execute(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(database), "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://localhost:" + postgres.port() + "/" + database;
    }

}
