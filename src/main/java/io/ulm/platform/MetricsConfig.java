package io.ulm.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Metrics read from PostgreSQL ({@code ulm.metrics.*}, environment {@code ULM_METRICS_*}); docs/operations.md. */
@ConfigMapping(prefix = "ulm.metrics")
public interface MetricsConfig {

    /**
     * How often the gauges read from tables (processor lag, sagas by state, outbox backlog) are refreshed. Each node
     * runs these small queries; a scrape never waits for the database. {@code off} turns them off.
     */
    @WithDefault("15s")
    String refreshEvery();

    default boolean refreshing() {
        return !"off".equalsIgnoreCase(refreshEvery()) && !"disabled".equalsIgnoreCase(refreshEvery());
    }
}
