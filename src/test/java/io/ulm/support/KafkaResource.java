package io.ulm.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One real single-node Kafka broker (KRaft, broker and controller in one process) for the whole test run,
 * started as a child JVM from the kafka_2.13 jars that the build copies to {@code target/kafka-broker}
 * (pom.xml, execution {@code kafka-broker}). Its classpath is that directory only: the broker brings
 * slf4j 1.7 and Scala, which must not meet the app's. Stopped when the test JVM exits.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    /** Topics created up front, so consumers never wait for auto-creation and ordering tests get 2 partitions. */
    public static final Map<String, Integer> TOPICS = Map.of("behaviour-events", 2, "behaviour-events-dlq", 1, "lifecycle-events", 1,
            "winback-actions", 1);

    private static final Path BROKER_JARS = Path.of("target", "kafka-broker");
    private static Broker broker;

    private record Broker(Process process, String bootstrapServers) {
    }

    @Override
    public Map<String, String> start() {
        return Map.of("ulm.kafka.bootstrap-servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // kept for the next test application of this run; the shutdown hook stops it
    }

    /** Starts the broker on first use. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = launch();
        }
        return broker.bootstrapServers();
    }

    /**
     * Every record of {@code topic}, keys and values as text, read from the start of each partition to the end offsets
     * it had when called (in order within a partition, so in order per key); fails when that takes over {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> readAll(String topic, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + " to its end offsets " + end + " took over " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Broker launch() {
        long started = System.nanoTime();
        try {
            if (!Files.isDirectory(BROKER_JARS)) {
                throw new IllegalStateException(BROKER_JARS.toAbsolutePath() + " is missing: run the tests through Maven "
                        + "(generate-test-resources copies the broker's jars there)");
            }
            Path dir = Files.createTempDirectory(Path.of("target"), "kafka-run-");
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                    // one node: every internal topic with one replica, and few partitions (50 by default) for a fast start
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "num.partitions=1", ""));
            // KRaft needs formatted storage (cluster id + metadata version) before the first start
            run(dir, "format.log", "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString());
            Process process = java(dir, "broker.log", "kafka.Kafka", config.toString());
            String bootstrap = "127.0.0.1:" + port;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopBroker(process), "kafka-broker-stop"));
            awaitListening(process, port, dir);
            awaitReady(process, bootstrap, dir);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("Kafka broker %s ready in %d ms (format + start; logs in %s)%n", bootstrap, millis, dir);
            return new Broker(process, bootstrap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The port first (cheap and quiet), so the admin client does not log a warning per refused connection. */
    private static void awaitListening(Process process, int port, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
    }

    /** Ready = the broker answers metadata requests and the test topics exist. */
    private static void awaitReady(Process process, String bootstrap, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see " + dir.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                List<NewTopic> topics = new ArrayList<>();
                TOPICS.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
                try {
                    admin.createTopics(topics).all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(200);
            }
        }
        stopBroker(process);
        throw new IllegalStateException("the Kafka broker did not become ready in 60 s; see " + dir.resolve("broker.log"), last);
    }

    private static void run(Path dir, String log, String main, String... args) throws IOException, InterruptedException {
        Process p = java(dir, log, main, args);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(main + " failed; see " + dir.resolve(log));
        }
    }

    /** A child JVM with the broker's jars only; the wildcard keeps the command line short. */
    private static Process java(Path dir, String log, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // small heap; C1 only: starts faster, and a test broker moves little data
                "-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", BROKER_JARS.toAbsolutePath() + "/*", main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static void stopBroker(Process process) {
        process.destroy(); // SIGTERM: the broker shuts down cleanly
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Kafka's cluster id format: a UUID as 22 characters of URL-safe base64. One in 64 starts with '-', which the
     * storage tool's argument parser takes for an option (a CI run failed so); like Kafka's own Uuid, draw again.
     */
    private static String clusterId() {
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        } while (id.startsWith("-"));
        return id;
    }
}
