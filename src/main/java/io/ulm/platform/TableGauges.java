package io.ulm.platform;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

/**
 * Gauges read from tables (processor lag, win-back sagas, outbox backlog; docs/operations.md): every {@link Source}
 * bean is refreshed at startup (after Axon and the models, priority 30) and every {@code ulm.metrics.refresh-every}
 * ({@code off} turns them off), so a scrape never waits for the database. A source that fails keeps its last values
 * and does not stop the others; readiness reports the database itself.
 */
@ApplicationScoped
public class TableGauges {

    /** One set of gauges and the queries that refresh them. */
    public interface Source {

        /** Reads the tables and sets the gauges; may throw when the database is unavailable. */
        void refresh() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(TableGauges.class);

    private final Instance<Source> sources;
    private final boolean refreshing;

    TableGauges(Instance<Source> sources, MetricsConfig config) {
        this.sources = sources;
        this.refreshing = config.refreshing();
    }

    void start(@Observes @Priority(30) StartupEvent event) {
        if (refreshing) {
            refresh();
        }
    }

    @Scheduled(every = "${ulm.metrics.refresh-every}", delayed = "${ulm.metrics.refresh-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        for (Source source : sources) {
            try {
                source.refresh();
            } catch (Exception e) {
                LOG.debugf(e, "Gauges of %s not refreshed", source.getClass().getSimpleName());
            }
        }
    }
}
