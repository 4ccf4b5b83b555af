package io.ulm.it;

import io.ulm.platform.EmbeddedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 the importer in the middle of the Online Retail import, run the import again, and find
 * read models identical to those of a clean import: nothing lost, nothing counted twice.
 */
class ImportRestartIT {

    private static final String[] TABLES = {
            // every read model, without the columns that depend on where an event sits in the log
            "SELECT user_id, stage, stage_since, stage_rule, acquired_at, first_seen, last_seen, last_activity_at, messages, "
                    + "activities, late_messages, purchases, refunds, revenue, refunded, distinct_items FROM user_profile ORDER BY user_id",
            "SELECT user_id, type, name, n FROM user_event_count ORDER BY 1, 2, 3",
            "SELECT user_id, item_id FROM user_item ORDER BY 1, 2",
            "SELECT user_id, trait, value::text, at FROM user_trait ORDER BY 1, 2",
            "SELECT user_id, due_at FROM lifecycle_schedule ORDER BY 1"};

    private static EmbeddedDatabase postgres;
    private static Path dataset;

    @BeforeAll
    static void setUp() throws Exception {
        dataset = Path.of(System.getProperty("shared.dir", "../shared"), "datasets/online-retail/online_retail.csv.gz");
        assertThat(dataset).as("the Online Retail data set (see ../shared/datasets/README.md)").isRegularFile();
        postgres = EmbeddedDatabase.start(null, 0, true);
        try (Connection c = connect("ulm"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE clean");
            s.execute("CREATE DATABASE crashed");
        }
    }

    @Test
    void aKilledImportRerunGivesTheSameReadModelsAsACleanImport() throws Exception {
        Path logs = Files.createTempDirectory("ulm-restart-it");
        runToCompletion("clean", logs.resolve("clean.log"));

        Process first = UlmProcess.start(url("crashed"), logs.resolve("crashed-1.log"), "import", "online-retail", dataset.toString());
        long stored = awaitStoredAtLeast("crashed", 10_000, first);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(stored).as("messages stored before the kill").isBetween(10_000L, 26_000L);

        runToCompletion("crashed", logs.resolve("crashed-2.log"));

        for (String query : TABLES) {
            List<String> clean = rows("clean", query);
            assertThat(clean).as(query).isNotEmpty();
            assertThat(rows("crashed", query)).as(query).containsExactlyElementsOf(clean);
        }
        assertThat(count("crashed", "SELECT count(*) FROM ingest_message")).isEqualTo(count("clean", "SELECT count(*) FROM ingest_message"));
        assertThat(count("crashed", "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%ActivityRecorded'"))
                .isEqualTo(count("clean", "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%ActivityRecorded'"));
    }

    private static void runToCompletion(String database, Path log) throws Exception {
        Process process = UlmProcess.start(url(database), log, "import", "online-retail", dataset.toString());
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("import into " + database + " finished; log " + log).isTrue();
        assertThat(process.exitValue()).as("exit code of the import into " + database + "; log " + log + ":\n" + tail(log)).isZero();
    }

    private static long awaitStoredAtLeast(String database, long messages, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            long stored = tableExists(database) ? count(database, "SELECT count(*) FROM ingest_message") : 0;
            if (stored >= messages) {
                return stored;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the import never stored " + messages + " messages before it ended");
    }

    private static boolean tableExists(String database) throws Exception {
        return count(database, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ingest_message'") == 1;
    }

    private static List<String> rows(String database, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static long count(String database, String query) throws Exception {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + postgres.port() + "/" + database;
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(url(database), "postgres", "postgres");
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
