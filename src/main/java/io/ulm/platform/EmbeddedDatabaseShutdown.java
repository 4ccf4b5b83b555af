package io.ulm.platform;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops the embedded PostgreSQL the service started, as the last shutdown step: after Axon's
 * processors (stopped by an earlier observer) have released their connections.
 */
@ApplicationScoped
public class EmbeddedDatabaseShutdown {

    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event, UlmConfig config) {
        if (config.embedded().stopOnShutdown()) {
            EmbeddedDatabase.stop();
        }
    }
}
