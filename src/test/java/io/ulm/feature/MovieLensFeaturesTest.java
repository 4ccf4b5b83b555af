package io.ulm.feature;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.ulm.catalogue.SharedData;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.ImportService;
import io.ulm.ingest.Imports;
import io.ulm.projection.ProjectionProgress;
import io.ulm.projection.ProjectionReplays;
import io.ulm.projection.ReplayAudit;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MovieLens end to end on a database of its own: the movies become the catalogue (genre counts as in movies.csv),
 * the ratings are imported, and the features and genre interests of several users equal an independent computation
 * from the raw files; the replay audit, and a replay from zero, rebuild the catalogue and features tables identically.
 */
@QuarkusTest
@TestProfile(FeatureDataProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MovieLensFeaturesTest {

    /** Light and heavy raters, early and late ones. */
    static final List<String> USERS = List.of("1", "50", "414", "599", "610");

    static MovieLensTruth truth;

    @Inject
    Imports imports;

    @Inject
    ProjectionProgress progress;

    @Inject
    DataSource dataSource;

    @Inject
    FeatureReads reads;

    @Inject
    ReplayAudit replayAudit;

    @Inject
    ProjectionReplays replays;

    @Test
    @Order(1)
    void theMoviesBecomeTheCatalogueWithTheirGenres() throws Exception {
        truth = MovieLensTruth.read();
        long t0 = System.nanoTime();
        E2e.Reply reply = E2e.reply(RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType("text/csv")
                .body(Files.readAllBytes(SharedData.path(SharedData.MOVIES))).post("/v1/items/import?source=movielens"));
        System.out.printf("[movielens items] HTTP import in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, reply.raw());
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.body().path("received").asInt()).isEqualTo(truth.genres.size()).isEqualTo(9742);
        assertThat(reply.body().path("defined").asInt()).isEqualTo(9742);
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : E2e.rows(dataSource, "SELECT c, count(*) AS n FROM item, unnest(categories) c GROUP BY c")) {
            counts.put((String) row.get("c"), ((Number) row.get("n")).longValue());
        }
        assertThat(counts).isEqualTo(truth.genreCounts);
        assertThat(E2e.count(dataSource, "SELECT count(*) FROM item WHERE categories = '{}'")).isEqualTo(truth.moviesWithoutGenres);
        assertThat(E2e.rows(dataSource, "SELECT title FROM item WHERE item_id = '1'").get(0).get("title")).isEqualTo("Toy Story (1995)");
    }

    @Test
    @Order(2)
    void theFeaturesOfRatersEqualTheRawFiles() throws Exception {
        long t0 = System.nanoTime();
        ImportService.Result result;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.path(SharedData.RATINGS)), 1 << 16)) {
            result = imports.csv(in, CsvMapping.load("movielens"), "test", null);
        }
        assertThat(result.rejected()).isZero();
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(5))).as("projections caught up").isTrue();
        System.out.printf("[movielens features] ratings imported and projected in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Instant watermark = Instant.ofEpochSecond(truth.latestRating());
        for (String user : USERS) {
            JsonNode f = E2e.get(Api.READ_KEY, "/v1/users/" + user + "/features?top=100").body();
            assertThat(f.path("asOf").asText()).as("the data set's watermark").isEqualTo(watermark.toString());
            assertThat(f.path("activities").asLong()).as(user).isEqualTo(truth.ratings.get(user).size());
            assertThat(f.path("sessions").asLong()).as(user + " sessions").isEqualTo(truth.sessions(user));
            assertThat(f.path("purchases").asLong()).isZero();
            assertThat(f.path("tenureDays").asDouble()).as(user).isCloseTo((truth.latestRating() - truth.first(user)) / 86_400.0, within(5e-5));
            assertThat(f.path("recencyDays").asDouble()).as(user).isCloseTo((truth.latestRating() - truth.last(user)) / 86_400.0, within(5e-5));
            assertThat(f.path("activityLast4Weeks").asLong()).as(user).isEqualTo(truth.ratingsOnDays(user, watermark, 27, 0));
            assertThat(f.path("activityPrevious4Weeks").asLong()).as(user).isEqualTo(truth.ratingsOnDays(user, watermark, 55, 28));
            assertInterests(user, f.path("categoryInterests"), truth.interests(user, watermark));
        }
    }

    @Test
    @Order(3)
    void everyReaderAgreesAndReplaysAreIdentical() throws Exception {
        Instant watermark = Instant.ofEpochSecond(truth.latestRating());
        List<UserFeatures> all = new ArrayList<>();
        reads.forEach(watermark, 100, all::add);
        // every rater of the file as it is: 610 users of the release, and one row (user 999, movie 999999) that is not
        assertThat(all.stream().map(UserFeatures::userId).toList()).as("every rater, in byte order of ids")
                .containsExactlyElementsOf(new java.util.TreeSet<>(truth.ratings.keySet()));
        UserFeatures u414 = all.stream().filter(u -> u.userId().equals("414")).findFirst().orElseThrow();
        Map<String, Double> sql = new TreeMap<>();
        for (Map<String, Object> row : E2e.rows(dataSource, "SELECT category, weight FROM feature_category_interest(?, interval '30 days', ARRAY['fees']) "
                + "WHERE user_id = '414'", java.sql.Timestamp.from(watermark))) {
            sql.put((String) row.get("category"), ((Number) row.get("weight")).doubleValue());
        }
        assertThat(sql).hasSize(u414.categoryInterests().size());
        for (UserFeatures.CategoryWeight c : u414.categoryInterests()) {
            assertThat(sql.get(c.category())).as(c.category()).isCloseTo(c.weight(), within(1e-9 * c.weight()));
        }

        // the view rule segments read: the same weights at the watermark
        Map<String, Double> view = new TreeMap<>();
        for (Map<String, Object> row : E2e.rows(dataSource, "SELECT category, weight FROM user_category_interest WHERE user_id = '414'")) {
            view.put((String) row.get("category"), ((Number) row.get("weight")).doubleValue());
        }
        assertThat(view).isEqualTo(sql);

        long t0 = System.nanoTime();
        JsonNode audit = io.ulm.platform.Json.mapper().valueToTree(replayAudit.run());
        System.out.printf("[movielens features] replay audit in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        for (String projection : List.of("catalogue", "features")) {
            JsonNode report = null;
            for (JsonNode p : audit.path("projections")) {
                report = projection.equals(p.path("projection").asText()) ? p : report;
            }
            assertThat(report).as(projection + " in " + audit).isNotNull();
            System.out.println("[movielens features] replay audit " + projection + ": " + report);
            assertThat(report.path("identical").asBoolean()).as(report.toString()).isTrue();
            report.path("tables").forEach(t -> assertThat(t.path("liveRows").asLong()).as(t.toString()).isPositive());
        }
    }

    @Test
    @Order(4)
    void aReplayFromZeroRebuildsTheSameTables() throws Exception {
        for (String projection : List.of("features", "catalogue")) {
            List<String> tables = replays.projection(projection).tables();
            Map<String, String> before = checksums(tables);
            long t0 = System.nanoTime();
            replays.replay(projection);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            ProjectionProgress.Processor p;
            do {
                Thread.sleep(200);
                p = progress.status().processors().get(projection);
            } while ((p.replaying() || p.lag() > 0) && System.nanoTime() < deadline);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("[movielens features] replay of %s: %d events in %.1f s (%.0f events/s)%n", projection,
                    progress.status().head(), seconds, progress.status().head() / seconds);
            assertThat(p.replaying()).as(projection + " replay finished").isFalse();
            assertThat(checksums(tables)).as(projection + " tables after a replay from zero").isEqualTo(before);
        }
    }

    private Map<String, String> checksums(List<String> tables) {
        Map<String, String> sums = new TreeMap<>();
        for (String table : tables) {
            sums.put(table, (String) E2e.rows(dataSource, "SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS s FROM "
                    + table + " r").get(0).get("s"));
        }
        return sums;
    }

    private static void assertInterests(String user, JsonNode actual, Map<String, Double> expected) {
        Map<String, Double> got = new TreeMap<>();
        double total = expected.values().stream().mapToDouble(Double::doubleValue).sum();
        double previous = Double.MAX_VALUE;
        for (JsonNode c : actual) {
            got.put(c.path("category").asText(), c.path("weight").asDouble());
            assertThat(c.path("weight").asDouble()).as("ranked by weight").isLessThanOrEqualTo(previous);
            previous = c.path("weight").asDouble();
            assertThat(c.path("share").asDouble()).isCloseTo(expected.get(c.path("category").asText()) / total, within(5.1e-5));
        }
        assertThat(got.keySet()).as(user + " genres").isEqualTo(expected.keySet());
        expected.forEach((genre, w) -> assertThat(got.get(genre)).as(user + " " + genre).isCloseTo(w, within(1e-9 * w)));
        System.out.println("[movielens features] user " + user + " top genres " + actual.get(0) + ", " + actual.get(1));
    }
}
