package io.ulm.segment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.ulm.platform.EmbeddedDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A database of its own, on the run's embedded PostgreSQL, for the segment tests: RFM quintiles rank every
 * buyer of the instance, so an exact comparison with the raw file needs an instance holding Online Retail
 * only, with its own event-time clock (the shared test database has other users and a clock at "now").
 */
public class SegmentsDatabase implements QuarkusTestResourceLifecycleManager {

    static final String NAME = "ulm_segments_test";

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
