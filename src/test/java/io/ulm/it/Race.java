package io.ulm.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes writing the same users' aggregates at the same instant: each round sends two batches for the same user at
 * once, to the first and the last live node. Their transactions serialise on the user's schedule row and the loser of
 * an append race retries (LifecycleCommands, Retry): every message must be stored once, in a gap-free stream.
 * The messages lie after the stream's last event time and within minutes of each other, so the lifecycle decides
 * nothing about them before the final watermark and the order of arrival changes no read model.
 */
final class Race {

    static final int USERS = 6;
    static final int ROUNDS = 4;
    static final int PER_REQUEST = 10;
    static final int MESSAGES = USERS * ROUNDS * 2 * PER_REQUEST;

    private Race() {
    }

    static void run(UlmCluster cluster, String url, Instant after) throws Exception {
        List<UlmCluster.Node> live = cluster.live();
        UlmCluster.Node[] sides = {live.get(0), live.get(live.size() - 1)};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (int user = 0; user < USERS; user++) {
                    List<Future<Integer>> both = new ArrayList<>();
                    for (int side = 0; side < 2; side++) {
                        String body = batch(user, round, side, after.plus(Duration.ofHours(1)));
                        UlmCluster.Node node = sides[side];
                        both.add(pool.submit(() -> post(cluster, node, body)));
                    }
                    for (Future<Integer> f : both) {
                        assertThat(f.get(60, TimeUnit.SECONDS)).as("race batch status").isEqualTo(200);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        verify(url);
    }

    /** Every race message stored once, each user's stream without gaps or repeats. */
    static void verify(String url) throws Exception {
        String stream = "FROM domain_event_entry WHERE aggregate_identifier LIKE 'race-%'";
        assertThat(StreamDriver.count(url, "SELECT count(*) " + stream + " AND payload_type LIKE '%ActivityRecorded'"))
                .as("race messages recorded").isEqualTo(MESSAGES);
        assertThat(StreamDriver.count(url, "SELECT count(DISTINCT convert_from(payload, 'UTF8')::jsonb->>'messageId') " + stream
                + " AND payload_type LIKE '%ActivityRecorded'")).as("distinct race messages recorded").isEqualTo(MESSAGES);
        assertThat(ReadModels.rows(url, "SELECT aggregate_identifier " + stream + " GROUP BY aggregate_identifier "
                + "HAVING count(*) <> max(sequence_number) + 1 OR min(sequence_number) <> 0")).as("streams with gaps").isEmpty();
    }

    private static String batch(int user, int round, int side, Instant base) {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < PER_REQUEST; i++) {
            int n = (round * 2 + side) * PER_REQUEST + i;
            Instant at = base.plus(Duration.ofMinutes(15L * user)).plusSeconds(n);
            body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"App Opened\",\"userId\":\"race-").append(user)
                    .append("\",\"messageId\":\"race-").append(user).append('-').append(n)
                    .append("\",\"timestamp\":\"").append(at).append("\"}");
        }
        return body.append("]}").toString();
    }

    private static int post(UlmCluster cluster, UlmCluster.Node node, String body) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((UlmProcess.ADMIN_KEY + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create(node.base() + "/v1/batch"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
