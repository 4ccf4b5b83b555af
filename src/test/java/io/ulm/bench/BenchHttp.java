package io.ulm.bench;

import io.ulm.it.UlmProcess;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** HTTP helpers the benchmarks share: drive the packaged service started by {@link UlmProcess}. */
final class BenchHttp {

    private BenchHttp() {
    }

    static void post(HttpClient http, String uri, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((UlmProcess.ADMIN_KEY + ":").getBytes()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitReady(HttpClient http, String base, Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not start; see " + log);
    }

    static void awaitCaughtUp(HttpClient http, String base) throws Exception {
        while (true) {
            String status = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/projections"))
                    .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (status.contains("\"lag\":0") && !status.matches(".*\"lag\":[1-9].*") && !status.contains("\"replaying\":true")) {
                return;
            }
            Thread.sleep(50);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
