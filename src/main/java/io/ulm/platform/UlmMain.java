package io.ulm.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point. Without a configured database ({@code ULM_DB_URL} / {@code ulm.db.url}), it starts the
 * embedded PostgreSQL first and points Quarkus at it; with one, it maps it to the datasource.
 * {@code import ...} arguments run a history import from the command line instead of the server; {@code simulate ...}
 * writes a simulated history to files (io.ulm.simulation.SimulateCommand).
 */
@QuarkusMain
public final class UlmMain {

    private static final String APPLICATION_NAME = "quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName";

    private UlmMain() {
    }

    public static void main(String... args) throws Exception {
        if (args.length > 0 && "simulate".equals(args[0])) {
            // plain Java: writes files, needs neither the database nor the service
            System.exit(io.ulm.simulation.SimulateCommand.run(args));
        }
        configureDatabase();
        configureNode();
        if (args.length > 0 && "import".equals(args[0])) {
            // The importer runs in-process; it does not need the HTTP port of a running service, and no scheduled job
            // (segments, churn scoring, interest refresh) may interleave with its end phase: the import advances the
            // clock and sweeps itself, and the service's jobs run when the service does.
            System.setProperty("quarkus.http.port", "0");
            System.setProperty("quarkus.scheduler.enabled", "false");
            Quarkus.run(ImportCommand.class, args);
        } else {
            Quarkus.run(args);
        }
    }

    static void configureDatabase() {
        String url = setting("ulm.db.url", "ULM_DB_URL");
        if (url != null) {
            System.setProperty("quarkus.datasource.jdbc.url", url);
            System.setProperty("quarkus.datasource.reactive.url", url.replaceFirst("^jdbc:", ""));
            copy("ulm.db.username", "ULM_DB_USERNAME", "quarkus.datasource.username");
            copy("ulm.db.password", "ULM_DB_PASSWORD", "quarkus.datasource.password");
            return;
        }
        if (System.getProperty("quarkus.datasource.jdbc.url") != null || System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null) {
            return;
        }
        String dir = setting("ulm.embedded.data-dir", "ULM_EMBEDDED_DATA_DIR");
        String port = setting("ulm.embedded.port", "ULM_EMBEDDED_PORT");
        Path dataDir = Path.of(dir == null ? "data/postgres" : dir).toAbsolutePath();
        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, port == null ? 0 : Integer.parseInt(port), false);
        System.setProperty("ulm.embedded.stop-on-shutdown", "true");
        // the master key of the personal-data keys lives beside the database it protects
        System.setProperty("ulm.embedded.master-key-file", dataDir.resolveSibling("master.key").toString());
        for (Map.Entry<String, String> p : db.datasourceProperties().entrySet()) {
            System.setProperty(p.getKey(), p.getValue());
        }
    }

    /**
     * Names this process: the owner of its segment claims ({@code ulm.axon.node-id}, default {@code pid@host}) and the
     * {@code application_name} of its database connections, by which the other nodes count it (SegmentBalancer).
     */
    static void configureNode() {
        String id = setting("ulm.axon.node-id", "ULM_AXON_NODE_ID");
        if (id == null || id.isBlank()) {
            id = ManagementFactory.getRuntimeMXBean().getName();
        }
        System.setProperty("ulm.axon.node-id", id);
        if (System.getProperty(APPLICATION_NAME) == null) {
            System.setProperty(APPLICATION_NAME, SegmentBalancer.applicationName(id));
        }
    }

    private static void copy(String property, String env, String target) {
        String value = setting(property, env);
        if (value != null) {
            System.setProperty(target, value);
        }
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(env);
    }
}
