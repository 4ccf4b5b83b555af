package io.ulm.winback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Win-back settings ({@code ulm.winback.*}; environment {@code ULM_WINBACK_*}); docs/winback.md. */
@ConfigMapping(prefix = "ulm.winback")
public interface WinbackConfig {

    /** The directory of policy files ({@code *.yaml}, one campaign each). */
    @WithDefault("projections/winback")
    String policies();

    /**
     * The campaigns the saga runs, in priority order (a trigger enters the first one she is eligible for); absent:
     * every loaded policy, in file-name order.
     */
    Optional<List<String>> campaigns();

    /**
     * How far behind the lifecycle watermark (event time) a step may still be sent: a running episode's steps due
     * earlier are history, recorded and never sent (docs/winback.md, "History"). It absorbs the lag between an
     * inactivity threshold being crossed and the saga seeing it in live traffic (sweep interval, saga backlog, a
     * quiet weekend in which no event moves the watermark); imported history is older than this.
     */
    @WithDefault("P7D")
    Duration staleAfter();

    /** How often the outbox relay polls when Kafka is on. */
    @WithDefault("1s")
    Duration relayInterval();
}
