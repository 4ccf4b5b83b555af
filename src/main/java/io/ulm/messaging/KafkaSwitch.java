package io.ulm.messaging;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Kafka is switched on by one setting, {@code ulm.kafka.bootstrap-servers} ({@code ULM_KAFKA_BOOTSTRAP_SERVERS}).
 * Without it every Kafka channel is disabled ({@code mp.messaging.*.enabled=false}, SmallRye's supported switch),
 * so the embedded default starts, serves the REST API and never tries to reach a broker. A configuration
 * expression cannot test "is set", hence this factory (registered in META-INF/services). Its ordinal sits
 * between application.properties (250) and environment variables (300): an operator can still force a channel.
 */
public class KafkaSwitch implements ConfigSourceFactory {

    public static final String BOOTSTRAP_SERVERS = "ulm.kafka.bootstrap-servers";
    public static final List<String> CHANNELS = List.of("mp.messaging.incoming." + BehaviourEventsConsumer.CHANNEL,
            "mp.messaging.outgoing." + DeadLetters.CHANNEL, "mp.messaging.outgoing." + LifecycleEventsRelay.CHANNEL,
            "mp.messaging.outgoing." + WinbackActionsRelay.CHANNEL);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue servers = context.getValue(BOOTSTRAP_SERVERS);
        boolean on = servers != null && servers.getValue() != null && !servers.getValue().isBlank();
        Map<String, String> properties = new java.util.HashMap<>();
        for (String channel : CHANNELS) {
            properties.put(channel + ".enabled", Boolean.toString(on));
        }
        return List.of(new PropertiesConfigSource(properties, "ulm-kafka-switch", 275));
    }
}
