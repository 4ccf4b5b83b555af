package io.ulm.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Reads what a run published to Kafka. */
final class Topics {

    private Topics() {
    }

    /**
     * Copies of each win-back action on {@code topic} (by its {@code action-id} header): reads until at least
     * {@code expected} records arrived and then three more seconds, so that duplicates would be seen too.
     */
    static Map<String, Integer> actionCopies(String bootstrap, String topic, int expected) {
        Map<String, Integer> copies = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "failover-it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietUntil = Long.MAX_VALUE;
            int records = 0;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    Header id = r.headers().lastHeader("action-id");
                    copies.merge(id == null ? "(no action-id)" : new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                    records++;
                }
                if (records >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return copies;
    }

    /** Partitions of {@code topic} held by each member of {@code group} (members without any listed with 0). */
    static List<Integer> partitionsPerMember(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return d.members().stream().map(MemberDescription::assignment)
                    .map(a -> (int) a.topicPartitions().stream().filter(p -> p.topic().equals(topic)).count())
                    .sorted().toList();
        }
    }

    /** Waits until {@code group} has {@code members} members holding {@code partitions / members} partitions each. */
    static void awaitSpread(String bootstrap, String group, String topic, int members, int partitions) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<Integer> last = List.of();
        while (System.nanoTime() < deadline) {
            last = partitionsPerMember(bootstrap, group, topic);
            if (last.size() == members && last.stream().allMatch(n -> n == partitions / members)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("consumer group " + group + " never spread " + topic + " over " + members
                + " members; partitions per member: " + last);
    }
}
