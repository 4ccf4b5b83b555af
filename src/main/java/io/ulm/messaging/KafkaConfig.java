package io.ulm.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Kafka settings ({@code ulm.kafka.*}); the topics and client settings are {@code mp.messaging.*} in application.properties. */
@ConfigMapping(prefix = "ulm.kafka")
public interface KafkaConfig {

    /** host:port[,host:port]; Kafka is off without it (see {@link KafkaSwitch}). */
    Optional<String> bootstrapServers();

    /** The CloudEvents {@code source} of everything published to lifecycle-events. */
    @WithDefault("/ulm")
    String source();

    default boolean enabled() {
        return bootstrapServers().filter(s -> !s.isBlank()).isPresent();
    }
}
