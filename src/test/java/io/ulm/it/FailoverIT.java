package io.ulm.it;

import io.ulm.platform.EmbeddedDatabase;
import io.ulm.simulation.SimulatedMessage;
import io.ulm.simulation.SimulationSettings;
import io.ulm.simulation.Simulator;
import io.ulm.support.KafkaResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes on one PostgreSQL and one Kafka broker, one of them killed with SIGKILL in the middle of a seeded simulated
 * stream (REST on every node and the {@code behaviour-events} topic), end with the same read models as one node fed
 * the same stream: the survivors take over the dead node's segments and partitions, nothing is lost, nothing is
 * applied twice, and each win-back action reaches {@code winback-actions} exactly once (docs/scaling.md).
 */
class FailoverIT {

    /** 400 users acquired over 40 days, 100 days of behaviour: ~15k messages, win-back episodes from day ~30. */
    static final SimulationSettings SETTINGS = SimulationSettings.defaults().withSeed(7).withScale(400, 100, 40);
    /** A wave of the stream spans one day of event time; the allowed lateness must exceed it (StreamDriver). */
    static final Duration WAVE = Duration.ofDays(1);
    static final Duration LATENESS = Duration.ofDays(2);
    static final int SEGMENTS = 6;
    static final int REST_LANES = 3;
    static final List<String> PROJECTIONS = List.of("user-profile", "analytics", "features", "catalogue", "interest-text", "segments");

    private static EmbeddedDatabase postgres;
    private static String kafka;
    private static Path logs;

    @BeforeAll
    static void setUp() throws Exception {
        postgres = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE single");
            s.execute("CREATE DATABASE cluster");
        }
        kafka = KafkaResource.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String run : List.of("single", "cluster")) {
                topics.add(new NewTopic("behaviour-events-" + run, SEGMENTS, (short) 1));
                topics.add(new NewTopic("winback-actions-" + run, 1, (short) 1));
                topics.add(new NewTopic("lifecycle-events-" + run, 1, (short) 1));
                topics.add(new NewTopic("behaviour-events-dlq-" + run, 1, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        logs = Files.createTempDirectory(Path.of("target"), "failover-it-");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void threeNodesWithOneKilledEndLikeOneNode() throws Exception {
        List<SimulatedMessage> stream = new Simulator(SETTINGS).stream().toList();
        assertThat(WAVE).as("a lane leads by less than a wave: the lateness must cover it").isLessThan(LATENESS);

        Run single = run("single", 1, stream, -1);
        Run cluster = run("cluster", 3, stream, 40);

        assertThat(cluster.rerouted).as("REST batches of the dead node's lane sent to a survivor").isPositive();
        assertThat(cluster.takeover).as("the dead node's segments were taken over").isNotNull();
        System.out.printf("Failover: %d messages, %d REST batches rerouted, segments taken over %s after the kill; compared: %s%n",
                stream.size(), cluster.rerouted, cluster.takeover, sizes(single.models));
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, List<String>> e : single.models.entrySet()) {
            List<String> one = e.getValue();
            List<String> three = cluster.models.get(e.getKey());
            soft.assertThat(one).as("single-node %s", e.getKey()).isNotEmpty();
            soft.assertThat(missing(one, three)).as("%s: rows of the single-node run (%d) missing in the cluster run (%d), first 5",
                    e.getKey(), one.size(), three.size()).isEmpty();
            soft.assertThat(missing(three, one)).as("%s: rows of the cluster run not in the single-node run, first 5", e.getKey())
                    .isEmpty();
        }
        soft.assertThat(single.models.get("ingested messages")).containsExactly(Integer.toString(stream.size() + Race.MESSAGES));
        soft.assertThat(single.models.get("outbox actions")).as("the stream starts win-back episodes").hasSizeGreaterThan(10);
        for (Run run : List.of(single, cluster)) {
            soft.assertThat(run.published.size()).as("%s: distinct win-back actions on the topic vs the outbox", run.name)
                    .isEqualTo(run.models.get("outbox actions").size());
            run.published.forEach((action, copies) -> soft.assertThat(copies).as("%s: copies of %s", run.name, action).isEqualTo(1));
        }
        soft.assertAll();
    }

    private static String sizes(Map<String, List<String>> models) {
        StringBuilder out = new StringBuilder();
        models.forEach((name, rows) -> out.append(out.isEmpty() ? "" : ", ").append(name).append(' ').append(rows.size()));
        return out.toString();
    }

    /** Rows of {@code a} (with their multiplicity) not in {@code b}; the first five. */
    private static List<String> missing(List<String> a, List<String> b) {
        Map<String, Integer> left = new HashMap<>();
        b.forEach(r -> left.merge(r, 1, Integer::sum));
        List<String> out = new ArrayList<>();
        for (String r : a) {
            if (left.merge(r, -1, Integer::sum) < 0 && out.size() < 5) {
                out.add(r);
            }
        }
        return out;
    }

    /** What one run left: its read models, its published actions, how the kill went. */
    record Run(String name, Map<String, List<String>> models, Map<String, Integer> published, int rerouted, Duration takeover) {
    }

    /** Streams into {@code nodes} nodes of database {@code name}; kills node-2 just after wave {@code killWave} starts. */
    private static Run run(String name, int nodes, List<SimulatedMessage> stream, int killWave) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + name;
        Path dir = Files.createDirectories(logs.resolve(name));
        try (UlmCluster cluster = new UlmCluster(url, env(name), jvmOptions(), dir);
             KafkaProducer<String, byte[]> producer = producer()) {
            cluster.start(nodes);
            if (nodes > 1) {
                Segments.awaitBalanced(url, PROJECTIONS, cluster.nodes().stream().map(UlmCluster.Node::id).toList(), SEGMENTS);
                Topics.awaitSpread(kafka, "ulm-" + name, "behaviour-events-" + name, nodes, SEGMENTS);
            }
            StreamDriver driver = new StreamDriver(cluster, url, REST_LANES, producer, "behaviour-events-" + name);
            Killer killer = new Killer(cluster, killWave);
            driver.send(stream, WAVE, killer::beforeWave);
            killer.join();
            Duration takeover = null;
            if (killWave >= 0) {
                assertThat(killer.victim).as("node killed").isNotNull();
                assertThat(killer.victimOwned).as("%s owned segments before the kill", killer.victim.id()).isNotEmpty();
                assertThat(killer.takeover).as("the survivors took over the segments of %s", killer.victim.id()).isNotNull();
                takeover = killer.takeover;
            }
            if (killWave >= 0) {
                // the dead node's partitions went to the survivors (its session timed out)
                Topics.awaitSpread(kafka, "ulm-" + name, "behaviour-events-" + name, nodes - 1, SEGMENTS);
            }
            Race.run(cluster, url, stream.get(stream.size() - 1).at());
            ReadModels.awaitSettled(cluster, url, LATENESS.toDays() + " days", Duration.ofMinutes(2));
            Segments.evaluate(cluster);
            ReadModels.awaitSettled(cluster, url, LATENESS.toDays() + " days", Duration.ofMinutes(2));
            Map<String, List<String>> models = ReadModels.snapshot(url);
            Map<String, Integer> published = Topics.actionCopies(kafka, "winback-actions-" + name,
                    models.get("outbox actions").size());
            return new Run(name, models, published, driver.rerouted(), takeover);
        }
    }

    private static Map<String, String> env(String run) {
        Map<String, String> env = new HashMap<>();
        env.put("ULM_KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("MP_MESSAGING_INCOMING_BEHAVIOUR_EVENTS_TOPIC", "behaviour-events-" + run);
        env.put("MP_MESSAGING_INCOMING_BEHAVIOUR_EVENTS_GROUP_ID", "ulm-" + run);
        env.put("MP_MESSAGING_OUTGOING_BEHAVIOUR_EVENTS_DLQ_TOPIC", "behaviour-events-dlq-" + run);
        env.put("MP_MESSAGING_OUTGOING_LIFECYCLE_EVENTS_TOPIC", "lifecycle-events-" + run);
        env.put("MP_MESSAGING_OUTGOING_WINBACK_ACTIONS_TOPIC", "winback-actions-" + run);
        env.put("ULM_LIFECYCLE_ALLOWED_LATENESS", LATENESS.toString());
        env.put("ULM_LIFECYCLE_SWEEP_INTERVAL", "1s");
        // segments are evaluated once, on demand, at the end: a watermark-triggered run depends on wall-clock timing
        env.put("ULM_SEGMENTS_EVERY", "off");
        // the feed compresses ~100 days into about a minute, so a second of saga lag is days behind the watermark: how many
        // steps would be judged history (stale-after) depends on timing, not on the nodes; here every step is live, and
        // the history rule has its own test (WinbackHistoryTest)
        env.put("ULM_WINBACK_STALE_AFTER", "P36500D");
        env.put("ULM_AXON_SEGMENTS", Integer.toString(SEGMENTS));
        env.put("ULM_AXON_CLAIM_TIMEOUT", "PT5S");
        env.put("ULM_AXON_TOKEN_CLAIM_INTERVAL", "PT1S");
        env.put("ULM_AXON_BALANCE_INTERVAL", "PT1S");
        return env;
    }

    /** Small heaps (three nodes, the broker and PostgreSQL share 2 cores); a short session timeout moves partitions soon. */
    private static List<String> jvmOptions() {
        return List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dmp.messaging.incoming.behaviour-events.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.behaviour-events.heartbeat.interval.ms=1000");
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    /** Kills node-2 a moment after wave {@code wave} started, while its requests and batches are in flight. */
    private static final class Killer {
        private final UlmCluster cluster;
        private final int wave;
        private Thread thread;
        volatile UlmCluster.Node victim;
        volatile List<String> victimOwned = List.of();
        volatile Duration takeover;
        volatile Throwable failure;

        Killer(UlmCluster cluster, int wave) {
            this.cluster = cluster;
            this.wave = wave;
        }

        void beforeWave(int index) {
            if (index != wave) {
                return;
            }
            UlmCluster.Node node = cluster.nodes().get(1);
            thread = new Thread(() -> {
                ReadModels.sleep(150);
                try {
                    victimOwned = ReadModels.rows(cluster.jdbcUrl(),
                            "SELECT processor_name || '/' || segment FROM token_entry WHERE owner = '" + node.id() + "'");
                    cluster.kill(node);
                    long killedAt = System.nanoTime();
                    victim = node;
                    // while the stream goes on: the survivors own every segment, in equal shares
                    List<String> survivors = cluster.live().stream().map(UlmCluster.Node::id).toList();
                    takeover = Segments.awaitTakenOver(cluster.jdbcUrl(), PROJECTIONS, node.id(), survivors, SEGMENTS, killedAt);
                } catch (Exception | AssertionError e) {
                    failure = e;
                }
            }, "killer");
            thread.start();
        }

        /** Waits for the kill (if one was planned) to be done. */
        void join() throws InterruptedException {
            if (thread != null) {
                thread.join(120_000);
            }
            if (failure != null) {
                throw new AssertionError("the kill or the takeover failed", failure);
            }
        }
    }
}
