package io.ulm.analytics;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.ulm.platform.EmbeddedDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A database of its own, on the run's shared embedded PostgreSQL, for the analytics tests: the reports
 * count every user of the instance, so exact expectations need an instance that holds only the users the
 * tests put there (Online Retail and the hand-made scenario), and its own event-time clock.
 */
public class AnalyticsDatabase implements QuarkusTestResourceLifecycleManager {

    static final String NAME = "ulm_analytics_test";

    @Override
    public Map<String, String> start() {
        EmbeddedDatabase db = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + db.port() + "/postgres", "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the test database " + NAME, e);
        }
        Map<String, String> props = new LinkedHashMap<>(db.datasourceProperties());
        props.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + db.port() + "/" + NAME);
        props.put("quarkus.datasource.reactive.url", "postgresql://localhost:" + db.port() + "/" + NAME);
        return props;
    }

    @Override
    public void stop() {
        // the server belongs to the run; the database goes with it
    }
}
