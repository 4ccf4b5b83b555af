package io.ulm.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several ULM nodes (the packaged service, one JVM each) on one external PostgreSQL database, and Kafka when the
 * environment names a broker: what an operator runs behind a load balancer (docs/scaling.md). Each node gets its own
 * HTTP port and node id ({@code node-<n>}, the owner of its segment claims).
 */
public final class UlmCluster implements AutoCloseable {

    /** One running node. */
    public record Node(int index, String id, int port, Process process, Path log) {
        public String base() {
            return "http://127.0.0.1:" + port;
        }

        public boolean alive() {
            return process.isAlive();
        }
    }

    private final String jdbcUrl;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Path logs;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param env        environment of every node (ULM_* settings)
     * @param jvmOptions JVM options of every node (heap; keep them few: ONNX Runtime dislikes long command lines)
     */
    public UlmCluster(String jdbcUrl, Map<String, String> env, List<String> jvmOptions, Path logs) {
        this.jdbcUrl = jdbcUrl;
        this.env = Map.copyOf(env);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.logs = logs;
    }

    /** Starts {@code count} more nodes at once and waits until each is ready. */
    public List<Node> start(int count) throws Exception {
        List<Node> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = nodes.size() + 1;
            int port = freePort();
            Map<String, String> nodeEnv = new HashMap<>(env);
            nodeEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            nodeEnv.put("ULM_AXON_NODE_ID", "node-" + index);
            Path log = logs.resolve("node-" + index + ".log");
            Node node = new Node(index, "node-" + index, port, UlmProcess.start(jdbcUrl, log, nodeEnv, jvmOptions), log);
            nodes.add(node);
            started.add(node);
        }
        for (Node node : started) {
            awaitReady(node);
        }
        return started;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public List<Node> live() {
        return nodes.stream().filter(Node::alive).toList();
    }

    public HttpClient http() {
        return http;
    }

    /** {@code kill -9}: no shutdown hook, no clean release of claims or consumer group membership. */
    public void kill(Node node) throws InterruptedException {
        node.process().destroyForcibly();   // SIGKILL on Linux
        if (!node.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(node.id() + " survived SIGKILL");
        }
    }

    /** Stops every live node cleanly (SIGTERM), in parallel. */
    @Override
    public void close() throws InterruptedException {
        for (Node node : live()) {
            node.process().destroy();
        }
        for (Node node : nodes) {
            if (!node.process().waitFor(60, TimeUnit.SECONDS)) {
                node.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitReady(Node node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!node.alive()) {
                throw new AssertionError(node.id() + " exited during start; log " + node.log() + ":\n" + tail(node.log()));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(node.base() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(node.id() + " not ready in 120 s; log " + node.log() + ":\n" + tail(node.log()));
    }

    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
