package io.ulm.feature;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.ulm.platform.EmbeddedDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A database of its own, on the run's shared embedded PostgreSQL, for the data-set feature tests: the watermark
 * is the data set's own (the shared test database's clock is wherever other tests moved it), and MovieLens movie
 * ids do not meet Online Retail stock codes another test may have catalogued (14 ids are both).
 */
public class FeatureDatabase implements QuarkusTestResourceLifecycleManager {

    static final String NAME = "ulm_features_test";

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
