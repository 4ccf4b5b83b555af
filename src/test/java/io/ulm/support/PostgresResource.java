package io.ulm.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.ulm.platform.EmbeddedDatabase;

import java.util.Map;

/**
 * One real PostgreSQL (embedded, from the zonky Maven artifact) for the whole test run, shared by
 * every Quarkus test; stopped when the JVM exits.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return EmbeddedDatabase.start(null, 0, true).datasourceProperties();
    }

    @Override
    public void stop() {
        // kept for the next test application of this run
    }
}
