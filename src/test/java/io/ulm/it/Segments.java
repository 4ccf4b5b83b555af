package io.ulm.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Who owns the processors' segments (token_entry), and the on-demand segment evaluation. */
final class Segments {

    private Segments() {
    }

    /** Waits until every segment of each processor is owned, {@code segments / nodes} by each node. */
    static void awaitBalanced(String url, List<String> processors, List<String> nodes, int segments) throws Exception {
        String problem = awaitShares(url, processors, nodes, segments, Duration.ofSeconds(90));
        assertThat(problem).as("segments shared by %s", nodes).isNull();
    }

    /** Waits until the survivors own every segment, the dead node none; answers how long after the kill. */
    static Duration awaitTakenOver(String url, List<String> processors, String dead, List<String> survivors, int segments,
                                   long killedAt) throws Exception {
        String problem = awaitShares(url, processors, survivors, segments, Duration.ofSeconds(90));
        assertThat(problem).as("segments of %s taken over by %s", dead, survivors).isNull();
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** Null once the shares are right, else what was last wrong (after the timeout). */
    private static String awaitShares(String url, List<String> processors, List<String> nodes, int segments, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String problem = null;
        while (System.nanoTime() < deadline) {
            problem = null;
            for (String processor : processors) {
                List<String> owners = ReadModels.owners(url, processor);
                Map<String, Integer> held = new HashMap<>();
                owners.forEach(o -> held.merge(o, 1, Integer::sum));
                boolean fair = owners.size() == segments && held.keySet().equals(new java.util.HashSet<>(nodes))
                        && held.values().stream().allMatch(n -> n == segments / nodes.size());
                if (!fair) {
                    problem = processor + " owners by segment " + owners;
                    break;
                }
            }
            if (problem == null) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return problem;
    }

    /** Evaluates the segments once, on a live node, at the final watermark. */
    static void evaluate(UlmCluster cluster) throws Exception {
        UlmCluster.Node node = cluster.live().get(0);
        HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create(node.base() + "/v1/admin/segments/evaluate"))
                .header("Authorization", "Bearer " + UlmProcess.ADMIN_KEY).timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("segment evaluation: %s", r.body()).isEqualTo(200);
    }
}
