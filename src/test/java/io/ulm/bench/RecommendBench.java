package io.ulm.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ulm.it.UlmProcess;
import io.ulm.model.onnx.MfOnnxExporter;
import io.ulm.model.recsys.Factors;
import io.ulm.platform.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.ulm.bench.BenchHttp.awaitCaughtUp;
import static io.ulm.bench.BenchHttp.awaitReady;
import static io.ulm.bench.BenchHttp.freePort;
import static io.ulm.bench.BenchHttp.post;

/**
 * The recommendation benchmark ({@code ./mvnw -Pbench verify -Dit.test=RecommendBench}): the packaged service with a
 * factorisation model over 10k items, GET /v1/users/{id}/recommendations at a fixed offered load (open loop: latency
 * counted from the instant each request was due, so a slow server cannot hide queueing), then the maximum throughput
 * of 64 closed-loop clients, each beside the bare ONNX Runtime session time of the same requests in the same run.
 */
class RecommendBench {

    private static final int ITEMS = Integer.getInteger("bench.items", 10_000);
    private static final int USERS = Integer.getInteger("bench.users", 2_000);
    private static final int FACTORS = Integer.getInteger("bench.factors", 64);
    private static final int RATE = Integer.getInteger("bench.rate", 1_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 64);
    private static final int K = 10;

    @Test
    void recommendations() throws Exception {
        EmbeddedDatabase postgres = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.port() + "/ulm", "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE rec");
        }
        byte[] model = model();
        double[] bare = bareSession(model);
        int port = freePort();
        Path log = Files.createTempFile("ulm-bench-recommend", ".log");
        Process service = UlmProcess.start("jdbc:postgresql://localhost:" + postgres.port() + "/rec", log,
                Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)));
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(8)).build();
            String base = "http://localhost:" + port;
            awaitReady(http, base, service, log);
            ingest(http, base);
            awaitCaughtUp(http, base);
            upload(http, base, model);
            for (int i = 0; i < 2_000; i++) {   // warm-up: JIT, connection pool, the model's first runs
                get(http, base, i % USERS);
            }
            double[] unloaded = sequential(http, base);
            double[] open = openLoop(http, base);
            double[] closed = closedLoop(http, base);
            System.out.printf("%n==== ULM recommendation benchmark, %s, %d cores, Java %s ====%n", LocalDate.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("model: factorisation, %,d users x %,d items, %d factors, top %d, 3 seen items masked%n", USERS, ITEMS, FACTORS, K);
            System.out.printf("bare ONNX Runtime session, one user:      p50 %7.3f ms  p99 %7.3f ms%n", bare[0], bare[1]);
            System.out.printf("bare ONNX Runtime session, batch of 64:   p50 %7.3f ms  p99 %7.3f ms%n", bare[2], bare[3]);
            System.out.printf("endpoint, one client at a time (unloaded):  p50 %7.3f ms  p99 %7.3f ms%n", unloaded[0], unloaded[1]);
            System.out.printf("endpoint, open loop %,d req/s offered for %d s: achieved %,.0f req/s, p50 %.3f ms, p99 %.3f ms, errors %d%n",
                    RATE, SECONDS, open[0], open[1], open[2], (long) open[3]);
            System.out.printf("endpoint p50 (unloaded) / bare session p50 (one user): %.1f x%n", unloaded[0] / bare[0]);
            System.out.printf("endpoint, %d closed-loop clients for %d s: %,.0f req/s, p50 %.3f ms, p99 %.3f ms%n",
                    CLIENTS, SECONDS, closed[0], closed[1], closed[2]);
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Random factors (seeded): what matters here is the graph's size and shape, not the quality. */
    private static byte[] model() {
        Random random = new Random(7);
        float[] u = new float[USERS * FACTORS];
        float[] v = new float[ITEMS * FACTORS];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) random.nextGaussian() * 0.1f;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * 0.1f;
        }
        return MfOnnxExporter.export(new Factors(USERS, FACTORS, u), new Factors(ITEMS, FACTORS, v), ids("bench-user-", USERS),
                ids("bench-item-", ITEMS)).toByteArray();
    }

    /** Sorted ids: the mapping's order is the graph's index order. */
    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(prefix + String.format("%06d", i));
        }
        return ids;
    }

    /** [p50, p99 one user, p50, p99 batch of 64] in ms, straight on an ONNX Runtime session in this JVM. */
    private static double[] bareSession(byte[] model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            double[] one = time(session, env, 1, 5_000);
            double[] batch = time(session, env, 64, 500);
            return new double[]{one[0], one[1], batch[0], batch[1]};
        }
    }

    private static double[] time(OrtSession session, OrtEnvironment env, int n, int runs) throws Exception {
        long[] nanos = new long[runs];
        float[] mask = new float[n * ITEMS];
        long[] users = new long[n];
        for (int r = -runs / 5; r < runs; r++) {
            for (int i = 0; i < n; i++) {
                users[i] = Math.floorMod(r * 31 + i, USERS);
                Arrays.fill(mask, i * ITEMS, (i + 1) * ITEMS, 0f);
                for (int s = 0; s < 3; s++) {
                    mask[i * ITEMS + (int) ((users[i] * 7 + s * 101) % ITEMS)] = 1f;
                }
            }
            long started = System.nanoTime();
            try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[]{n});
                 OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[]{n, ITEMS});
                 OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{K}), new long[]{1});
                 OrtSession.Result result = session.run(Map.of("user", u, "seen_mask", m, "k", k))) {
                result.get(0);
            }
            if (r >= 0) {
                nanos[r] = System.nanoTime() - started;
            }
        }
        return percentiles(nanos);
    }

    /** Every user buys 3 items (MONETIZED with enough history: the personalised strategy). */
    private static void ingest(HttpClient http, String base) {
        Instant t = Instant.now().minusSeconds(86_400);
        StringBuilder batch = new StringBuilder();
        for (int user = 0; user < USERS; user++) {
            String id = String.format("bench-user-%06d", user);
            StringBuilder products = new StringBuilder();
            for (int s = 0; s < 3; s++) {
                products.append(s == 0 ? "" : ",").append("{\"product_id\":\"").append(String.format("bench-item-%06d", (user * 7 + s * 101) % ITEMS))
                        .append("\",\"price\":5}");
            }
            batch.append(batch.length() == 0 ? "" : ",").append("{\"type\":\"track\",\"messageId\":\"m-").append(id).append("\",\"userId\":\"")
                    .append(id).append("\",\"event\":\"Order Completed\",\"timestamp\":\"").append(t).append("\",\"properties\":{\"revenue\":15,\"products\":[")
                    .append(products).append("]}}");
            if ((user + 1) % 100 == 0) {
                post(http, base + "/v1/batch", "{\"batch\":[" + batch + "]}");
                batch.setLength(0);
            }
        }
    }

    private static void upload(HttpClient http, String base, byte[] model) throws Exception {
        String boundary = "ulm-bench-" + System.nanoTime();
        StringBuilder mapping = new StringBuilder("{\"users\":[");
        mapping.append(String.join(",", ids("bench-user-", USERS).stream().map(s -> "\"" + s + "\"").toList())).append("],\"items\":[");
        mapping.append(String.join(",", ids("bench-item-", ITEMS).stream().map(s -> "\"" + s + "\"").toList())).append("]}");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n" + mapping + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"activate\"\r\n\r\ntrue\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"bench.onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + model.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(model, 0, body, head.length, model.length);
        System.arraycopy(tail, 0, body, head.length + model.length, tail.length);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/recommender"))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("upload: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private static HttpRequest request(String base, int user) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/users/" + String.format("bench-user-%06d", user) + "/recommendations?k=" + K))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).build();
    }

    private static void get(HttpClient http, String base, int user) throws Exception {
        HttpResponse<String> r = http.send(request(base, user), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"personalised\"")) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** [p50, p99] ms of requests sent one after the other. */
    private static double[] sequential(HttpClient http, String base) throws Exception {
        long[] nanos = new long[2_000];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            get(http, base, (i * 13) % USERS);
            nanos[i] = System.nanoTime() - t;
        }
        return percentiles(nanos);
    }

    /** [achieved req/s, p50 ms, p99 ms, errors]: requests due every 1/RATE s, latency from the due instant. */
    private static double[] openLoop(HttpClient http, String base) throws Exception {
        int total = RATE * SECONDS;
        long[] nanos = new long[total];
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        long start = System.nanoTime() + 10_000_000;
        for (int i = 0; i < total; i++) {
            long due = start + (long) i * 1_000_000_000L / RATE;
            // sleep only when well ahead (sleeps overshoot by ~0.1 ms); when behind, send at once: the generator never
            // lowers the offered rate, and latency still counts from the due instant
            while (due - System.nanoTime() > 200_000) {
                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime() - 100_000);
            }
            final int n = i;
            pending.add(http.sendAsync(request(base, i % USERS), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                nanos[n] = System.nanoTime() - due;
                if (e != null || r.statusCode() != 200) {
                    errors.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] p = percentiles(nanos);
        return new double[]{total / seconds, p[0], p[1], errors.get()};
    }

    /** [req/s, p50 ms, p99 ms] of CLIENTS threads each sending its next request when the last one answered. */
    private static double[] closedLoop(HttpClient http, String base) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            final int client = c;
            clients.submit(() -> {
                int i = client;
                while (running.get()) {
                    long t = System.nanoTime();
                    get(http, base, i % USERS);
                    nanos.add(System.nanoTime() - t);
                    i += CLIENTS;
                }
                return null;
            });
        }
        TimeUnit.SECONDS.sleep(SECONDS);
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] p = percentiles(nanos.stream().mapToLong(Long::longValue).toArray());
        return new double[]{nanos.size() / seconds, p[0], p[1]};
    }

    /** [p50, p99] in ms. */
    private static double[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new double[]{sorted[(int) (sorted.length * 0.50)] / 1e6, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6};
    }
}
