package io.ulm.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default: a real PostgreSQL from the zonky Maven artifact, started before Quarkus when
 * no database URL is configured. One per JVM (live reload and test restarts reuse it). When another
 * ULM process already runs PostgreSQL on the same data directory, this one attaches to it, so a
 * command-line import can run beside a running service.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "ulm";
    private static EmbeddedDatabase instance;

    private final EmbeddedPostgres postgres;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Starts (or attaches to) the PostgreSQL of {@code dataDir}; null means a fresh temporary one.
     * With {@code stopAtJvmExit} a JVM shutdown hook stops it (tests); the service instead stops it
     * from a late shutdown observer, after Axon and the connection pools (see {@link EmbeddedDatabaseShutdown}).
     */
    public static synchronized EmbeddedDatabase start(Path dataDir, int port, boolean stopAtJvmExit) {
        if (instance != null) {
            return instance;
        }
        try {
            Optional<Integer> running = dataDir == null ? Optional.empty() : runningPort(dataDir);
            if (running.isPresent()) {
                LOG.infof("Attaching to the embedded PostgreSQL already running on port %d (%s)", running.get(), dataDir);
                instance = new EmbeddedDatabase(null, running.get());
                return instance;
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_wal_size", "2GB");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres pg = builder.start();
            instance = new EmbeddedDatabase(pg, pg.getPort());
            instance.createDatabase();
            if (stopAtJvmExit) {
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stop, "embedded-postgres-stop"));
            }
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    public static synchronized boolean running() {
        return instance != null;
    }

    public static synchronized void stop() {
        if (instance != null && instance.postgres != null) {
            try {
                instance.postgres.close();
            } catch (IOException e) {
                LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
            }
        }
        instance = null;
    }

    /** The Quarkus datasource properties that point at this database. */
    public Map<String, String> datasourceProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.datasource.jdbc.url", jdbcUrl());
        props.put("quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/" + DATABASE);
        props.put("quarkus.datasource.username", "postgres");
        props.put("quarkus.datasource.password", "postgres");
        props.put("ulm.embedded.enabled", "true");
        return props;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    private void createDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + DATABASE, e);
        }
    }

    /** The port of a live postmaster owning {@code dataDir}, read from its postmaster.pid. */
    private static Optional<Integer> runningPort(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    }
}
