package io.ulm.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.ulm.platform.EmbeddedDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A database of its own on the run's embedded PostgreSQL, for tests that need an instance holding one data set
 * only, with its own event-time clock (the shared test database has other users and a clock at "now").
 */
public abstract class OwnDatabase implements QuarkusTestResourceLifecycleManager {

    /** The database's name (recreated empty at every start). */
    protected abstract String name();

    @Override
    public Map<String, String> start() {
        EmbeddedDatabase db = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + db.port() + "/postgres", "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name() + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the test database " + name(), e);
        }
        Map<String, String> props = new LinkedHashMap<>(db.datasourceProperties());
        props.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + db.port() + "/" + name());
        props.put("quarkus.datasource.reactive.url", "postgresql://localhost:" + db.port() + "/" + name());
        return props;
    }

    @Override
    public void stop() {
        // the server belongs to the run; the database goes with it
    }
}
