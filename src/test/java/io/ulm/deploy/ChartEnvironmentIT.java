package io.ulm.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.ulm.it.UlmProcess;
import io.ulm.platform.EmbeddedDatabase;
import io.ulm.platform.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service (target/quarkus-app, what the images copy) started with the environment the chart gives a pod:
 * its ConfigMap and a chart-made Secret, only the database URL pointed at a local PostgreSQL and the port at a free
 * loopback one. It becomes ready on the chart's readiness path, accepts the API key from the chart's Secret, serves
 * metrics, and logs JSON lines (the chart's logJson: true). Loopback only; the process is killed at the end.
 */
class ChartEnvironmentIT {

    private static final String ADMIN_SECRET = "chart-admin-secret";

    @Test
    void theServiceRunsOnTheEnvironmentTheChartGivesAPod(@TempDir Path dir) throws Exception {
        EmbeddedDatabase postgres = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.port() + "/postgres", "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS ulm_chart_it WITH (FORCE)");
            s.execute("CREATE DATABASE ulm_chart_it");
        }
        Path values = Files.writeString(dir.resolve("values-it.yaml"), """
                secrets:
                  create: true
                  databaseUsername: postgres
                  databasePassword: postgres
                  masterKey: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
                  apiKeys:
                    admin: "%s:admin,read,ingest"
                """.formatted(ADMIN_SECRET));
        Chart.Rendered chart = Chart.render(values, Map.of());
        Map<String, String> env = new LinkedHashMap<>(chart.one(ConfigMap.class).getData());
        env.putAll(chart.one(Secret.class).getStringData());
        env.put("ULM_DB_URL", "jdbc:postgresql://localhost:" + postgres.port() + "/ulm_chart_it");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));

        Path log = dir.resolve("ulm.log");
        Process node = UlmProcess.start(env.get("ULM_DB_URL"), log, env);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            int ready = -1;
            while (System.nanoTime() < deadline && node.isAlive() && ready != 200) {
                Thread.sleep(500);
                ready = status(http, base + AppConfig.HEALTH + "/ready", null);
            }
            assertThat(ready).as("ready on the chart's path; log:\n" + tail(log)).isEqualTo(200);
            assertThat(status(http, base + "/v1/admin/projections", ADMIN_SECRET)).isEqualTo(200);
            assertThat(status(http, base + "/v1/admin/projections", null)).isEqualTo(401);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + AppConfig.METRICS)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("ulm_ingest_messages_total", "ulm_processor_lag_events");

            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("log lines").isNotEmpty();
            for (String line : lines) {
                assertThat(Json.mapper().readTree(line).path("message").isTextual()).as("a JSON log line: " + line).isTrue();
            }
        } finally {
            node.destroy();
            if (!node.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    private static int status(HttpClient http, String url, String key) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
