package io.ulm.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.ImportService;
import io.ulm.ingest.Imports;
import io.ulm.lifecycle.Stage;
import io.ulm.platform.AxonRuntime;
import io.ulm.platform.Json;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.Api;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Imports Online Retail into the analytics tests' own database and checks the cohort matrices (weekly and
 * monthly, recurring and cumulative) and the lifecycle series against {@link RetailExpectations}, computed
 * here from the raw CSV; and the funnel and the transition matrix against the StageChanged events in the
 * log (the projection must agree with the log it is built from); then replays the projection from zero and
 * finds identical tables. Stages depend on the event-time clock,
 * activity does not: the cohort and lifecycle figures hold whatever the clock.
 */
@QuarkusTest
@TestProfile(AnalyticsProfile.class)
class OnlineRetailAnalyticsTest {

    /** The data set starts on 2010-12-01; the scenario of {@link AnalyticsApiTest} (2009) stays out. */
    private static final String FROM = "from=2010-12-01";

    @Inject
    Imports imports;
    @Inject
    ProjectionProgress progress;
    @Inject
    DataSource dataSource;
    @Inject
    AxonRuntime axon;

    @Test
    void reportsAgreeWithTheRawFileAndTheLog() throws Exception {
        Path file = dataset();
        long t0 = System.nanoTime();
        RetailExpectations expected = RetailExpectations.read(file);
        ImportService.Result result;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            result = imports.csv(in, CsvMapping.load("online-retail"), "test", null);
        }
        assertThat(result.rejected()).isZero();
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(3))).as("projections caught up with the import").isTrue();
        System.out.printf("[analytics] %d customers imported and projected in %.1f s%n", expected.customers.size(),
                (System.nanoTime() - t0) / 1e9);

        for (boolean weekly : new boolean[]{false, true}) {
            for (boolean cumulative : new boolean[]{false, true}) {
                String query = "period=" + (weekly ? "week" : "month") + "&retention=" + (cumulative ? "cumulative" : "recurring");
                JsonNode matrix = AnalyticsApiTest.json("/v1/analytics/cohorts?" + query + "&" + FROM);
                assertCohorts(query, matrix, expected.cohorts(weekly, cumulative));
                System.out.println("[analytics] cohorts " + query + ": " + summary(matrix, weekly ? 4 : 13));
            }
            JsonNode lifecycle = AnalyticsApiTest.json("/v1/analytics/lifecycle?period=" + (weekly ? "week" : "month") + "&" + FROM);
            assertLifecycle(weekly, lifecycle, expected.lifecycle(weekly));
            System.out.println("[analytics] lifecycle " + (weekly ? "week" : "month") + ": " + lifecycle.path("series"));
        }

        Log log = log();
        JsonNode funnel = AnalyticsApiTest.json("/v1/analytics/funnel?" + FROM);
        System.out.println("[analytics] funnel: " + funnel);
        assertThat(funnel.path("users").asLong()).isEqualTo(log.acquired);
        Map<String, Long> steps = new TreeMap<>();
        funnel.path("steps").forEach(s -> steps.put(s.path("stage").asText(), s.path("users").asLong()));
        assertThat(steps).isEqualTo(log.funnel());
        assertThat(steps.get("ACQUIRED")).as("every customer acquired").isEqualTo(expected.customers.size());
        assertThat(steps.get("MONETIZED")).as("customers who ever bought").isEqualTo(expected.purchasers);

        Map<String, Long> transitions = new TreeMap<>();
        AnalyticsApiTest.json("/v1/analytics/transitions?period=month&" + FROM).path("periods").forEach(g -> g.path("cells").forEach(c ->
                transitions.put(g.path("start").asText() + " " + c.path("from").asText() + ">" + c.path("to").asText(), c.path("count").asLong())));
        assertThat(transitions).isEqualTo(log.transitions);
        System.out.println("[analytics] transitions month (" + transitions.size() + " cells): first " + transitions.entrySet().stream().limit(8).toList());
        System.out.println("[analytics] transitions all: " + Api.reader().get("/v1/analytics/transitions?period=all&format=csv&" + FROM).asString());

        // a replay from zero (reset handler, then every event again, in other batches) rebuilds identical rows
        Map<String, String> before = checksums();
        long t1 = System.nanoTime();
        StreamingEventProcessor processor = axon.configuration().eventProcessingConfiguration()
                .eventProcessor(AnalyticsProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(2))).as("replay caught up").isTrue();
        assertThat(checksums()).as("analytics tables after a replay from zero").isEqualTo(before);
        System.out.printf("[analytics] replay from zero in %.1f s, tables identical: %s%n", (System.nanoTime() - t1) / 1e9, before);
        System.out.printf("[analytics] whole test %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private Map<String, String> checksums() throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : AnalyticsWriter.TABLES) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                        + " FROM " + table + " t"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sums.put(table, rs.getString(1));
                }
            }
        }
        return sums;
    }

    private static Path dataset() {
        String shared = System.getProperty("shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("System property shared.dir is not set (surefire sets it to ../shared); the Online Retail data set is needed");
        }
        Path file = Path.of(shared, "datasets", "online-retail", "online_retail.csv.gz").toAbsolutePath().normalize();
        if (!Files.isReadable(file)) {
            fail("Data set not found at " + file + " (see ../shared/datasets/README.md); this test needs it");
        }
        return file;
    }

    private static void assertCohorts(String query, JsonNode matrix, List<RetailExpectations.Row> expected) {
        JsonNode rows = matrix.path("cohorts");
        assertThat(rows.size()).as(query + ": cohorts").isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            RetailExpectations.Row want = expected.get(i);
            JsonNode got = rows.get(i);
            String label = query + " cohort " + want.cohort();
            assertThat(got.path("cohort").asText()).as(label).isEqualTo(want.cohort().toString());
            assertThat(got.path("users").asLong()).as(label + " users").isEqualTo(want.users());
            List<Long> counts = new ArrayList<>();
            got.path("counts").forEach(c -> counts.add(c.asLong()));
            assertThat(counts).as(label + " counts").isEqualTo(want.counts());
            for (int k = 0; k < counts.size(); k++) {
                JsonNode share = got.path("shares").get(k);
                if (want.users() == 0) {
                    assertThat(share.isNull()).as(label + " share of an empty cohort").isTrue();
                } else {
                    assertThat(share.asDouble()).as(label + " share " + k).isCloseTo((double) want.counts().get(k) / want.users(),
                            org.assertj.core.data.Offset.offset(0.00005));
                }
            }
        }
    }

    private static void assertLifecycle(boolean weekly, JsonNode series, Map<LocalDate, long[]> expected) {
        Map<LocalDate, List<Long>> got = new TreeMap<>();
        series.path("series").forEach(p -> got.put(LocalDate.parse(p.path("period").asText()), List.of(p.path("new").asLong(),
                p.path("returning").asLong(), p.path("resurrecting").asLong(), p.path("dormant").asLong())));
        Map<LocalDate, List<Long>> want = new TreeMap<>();
        expected.forEach((p, c) -> want.put(p, List.of(c[0], c[1], c[2], c[3])));
        assertThat(got).as("lifecycle " + (weekly ? "week" : "month")).isEqualTo(want);
    }

    private static String summary(JsonNode matrix, int rows) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(rows, matrix.path("cohorts").size()); i++) {
            JsonNode r = matrix.path("cohorts").get(i);
            s.append("\n  ").append(r.path("cohort").asText()).append(" ").append(r.path("users")).append(" ").append(r.path("shares"));
        }
        return s.toString();
    }

    /** Transitions per month and the funnel, straight from the StageChanged and UserAcquired events in the log. */
    private record Log(long acquired, Map<String, Long> transitions, Map<String, boolean[]> reached) {
        Map<String, Long> funnel() {
            Map<String, Long> steps = new TreeMap<>();
            for (Stage s : Stage.values()) {
                steps.put(s.name(), reached.values().stream().filter(r -> r[s.ordinal()]).count());
            }
            return steps;
        }
    }

    private Log log() throws Exception {
        Instant from = Instant.parse("2010-12-01T00:00:00Z");
        Map<String, Long> transitions = new TreeMap<>();
        Map<String, boolean[]> reached = new HashMap<>();
        Map<String, Instant> acquired = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT aggregate_identifier, payload_type, convert_from(payload, 'UTF8') FROM domain_event_entry "
                        + "WHERE payload_type LIKE '%.StageChanged' OR payload_type LIKE '%.UserAcquired' ORDER BY global_index");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode e = Json.mapper().readTree(rs.getString(3));
                Instant at = Instant.parse(e.path("at").asText());
                if (rs.getString(2).endsWith("UserAcquired")) {
                    acquired.put(rs.getString(1), at);
                    continue;
                }
                Stage to = Stage.valueOf(e.path("to").asText());
                reached.computeIfAbsent(rs.getString(1), u -> new boolean[Stage.values().length])[to.ordinal()] = true;
                if (!at.isBefore(from)) {
                    String month = at.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).toString();
                    transitions.merge(month + " " + e.path("from").asText("null") + ">" + to, 1L, Long::sum);
                }
            }
        }
        reached.keySet().removeIf(user -> acquired.get(user).isBefore(from));
        // a jump up the ladder passes every stage below it: the funnel counts the highest stage reached
        for (boolean[] r : reached.values()) {
            for (int i = Funnel.LADDER.size() - 1; i > 0; i--) {
                r[Funnel.LADDER.get(i - 1).ordinal()] |= r[Funnel.LADDER.get(i).ordinal()];
            }
        }
        return new Log(reached.size(), transitions, reached);
    }
}
