package io.ulm.it;

import io.ulm.simulation.SimulatedMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Drives a simulated stream into a cluster as clients would: each user's messages always take the same lane (a sticky
 * REST lane per node, as a load balancer with user affinity, or the {@code behaviour-events} topic keyed by user id),
 * so each user's messages arrive in order; the lanes run in parallel. A REST lane whose node is gone re-sends its batch
 * to another live node (the batch may have been stored already: deduplication by messageId makes that harmless).
 *
 * <p>The stream goes in waves of a fixed span of event time: a wave is sent only after every message of the previous
 * waves is stored. That bounds how far one lane can run ahead of another in event time (two waves), which must stay
 * below the allowed lateness for the lifecycle decisions to be the same as with a single sequential client.
 */
public final class StreamDriver {

    static final int BATCH = 100;

    private final UlmCluster cluster;
    private final String jdbcUrl;
    private final KafkaProducer<String, byte[]> kafka;
    private final String topic;
    private final int restLanes;
    private final String auth = "Basic " + Base64.getEncoder().encodeToString((UlmProcess.ADMIN_KEY + ":").getBytes(StandardCharsets.UTF_8));
    private long sent;
    private int rerouted;

    /** {@code kafka} null: REST lanes only. */
    public StreamDriver(UlmCluster cluster, String jdbcUrl, int restLanes, KafkaProducer<String, byte[]> kafka, String topic) {
        this.cluster = cluster;
        this.jdbcUrl = jdbcUrl;
        this.restLanes = restLanes;
        this.kafka = kafka;
        this.topic = topic;
    }

    /**
     * Sends the stream in waves of {@code window} of event time each; {@code beforeWave} hears each wave's index before
     * it is sent. A lane can lead another by less than two windows of event time.
     */
    public void send(List<SimulatedMessage> stream, Duration window, IntConsumer beforeWave) throws Exception {
        ExecutorService lanes = Executors.newFixedThreadPool(restLanes);
        try {
            int index = 0;
            for (int from = 0; from < stream.size(); index++) {
                long waveEnd = stream.get(from).at().toEpochMilli() / window.toMillis() + 1;
                int to = from;
                while (to < stream.size() && stream.get(to).at().toEpochMilli() / window.toMillis() < waveEnd) {
                    to++;
                }
                beforeWave.accept(index);
                sendWave(stream.subList(from, to), lanes);
                sent += to - from;
                awaitStored(sent, Duration.ofSeconds(120));
                from = to;
            }
        } finally {
            lanes.shutdownNow();
        }
    }

    /** REST attempts that went to another node than the lane's own because that one was gone. */
    public int rerouted() {
        return rerouted;
    }

    private void sendWave(List<SimulatedMessage> slice, ExecutorService pool) throws Exception {
        int laneCount = restLanes + (kafka == null ? 0 : 1);
        List<List<SimulatedMessage>> byLane = new ArrayList<>();
        for (int i = 0; i < laneCount; i++) {
            byLane.add(new ArrayList<>());
        }
        for (SimulatedMessage m : slice) {
            byLane.get(Math.floorMod(m.userId().hashCode(), laneCount)).add(m);
        }
        List<Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < restLanes; lane++) {
            int l = lane;
            running.add(pool.submit(() -> {
                rest(l, byLane.get(l));
                return null;
            }));
        }
        if (kafka != null) {
            kafka(byLane.get(restLanes));
        }
        for (Future<?> f : running) {
            f.get(180, TimeUnit.SECONDS);
        }
    }

    private void rest(int lane, List<SimulatedMessage> messages) throws Exception {
        for (int from = 0; from < messages.size(); from += BATCH) {
            String body = envelope(messages.subList(from, Math.min(messages.size(), from + BATCH)));
            post(lane, body);
        }
    }

    /** Posts to the lane's node, or to the next live one when that one is gone. */
    private void post(int lane, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<UlmCluster.Node> nodes = cluster.nodes();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            UlmCluster.Node node = nodes.get((lane + attempt) % nodes.size());
            if (!node.alive()) {
                continue;
            }
            if (attempt > 0 && attempt % nodes.size() != 0) {
                synchronized (this) {
                    rerouted++;   // stored by another node than the lane's own (gone, or failed under the request)
                }
            }
            try {
                HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create(node.base() + "/v1/batch"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                if (r.statusCode() < 500) {
                    throw new AssertionError("HTTP " + r.statusCode() + " from " + node.id() + ": " + r.body());
                }
            } catch (IOException gone) {
                // the node died under the request (or before): the next attempt goes to another node
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no live node stored a batch of lane " + lane + " in 60 s");
    }

    /** One record per user and wave: the user's messages in order, keyed by user id (her partition). */
    private void kafka(List<SimulatedMessage> messages) throws Exception {
        Map<String, List<SimulatedMessage>> byUser = new LinkedHashMap<>();
        for (SimulatedMessage m : messages) {
            byUser.computeIfAbsent(m.userId(), u -> new ArrayList<>()).add(m);
        }
        List<Future<?>> acks = new ArrayList<>();
        for (Map.Entry<String, List<SimulatedMessage>> e : byUser.entrySet()) {
            List<SimulatedMessage> all = e.getValue();
            for (int from = 0; from < all.size(); from += BATCH) {
                byte[] value = envelope(all.subList(from, Math.min(all.size(), from + BATCH))).getBytes(StandardCharsets.UTF_8);
                acks.add(kafka.send(new ProducerRecord<>(topic, e.getKey(), value)));
            }
        }
        for (Future<?> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
    }

    private static String envelope(List<SimulatedMessage> messages) {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < messages.size(); i++) {
            body.append(i == 0 ? "" : ",").append(messages.get(i).json());
        }
        return body.append("]}").toString();
    }

    private void awaitStored(long messages, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stored = 0;
        while (System.nanoTime() < deadline) {
            stored = count(jdbcUrl, "SELECT count(*) FROM ingest_message");
            if (stored >= messages) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only " + stored + " of " + messages + " messages stored after " + timeout);
    }

    static long count(String jdbcUrl, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
