package io.ulm.winback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Win-back settings ({@code ulm.winback.*}; environment {@code ULM_WINBACK_*}); docs/winback.md. */
@ConfigMapping(prefix = "ulm.winback")
public interface WinbackConfig {

    /** The directory of policy files ({@code *.yaml}, one campaign each). */
    @WithDefault("projections/winback")
    String policies();

    /** The campaign the saga runs. */
    @WithDefault("winback-default")
    String campaign();

    /** How often the outbox relay polls when Kafka is on. */
    @WithDefault("1s")
    Duration relayInterval();
}
