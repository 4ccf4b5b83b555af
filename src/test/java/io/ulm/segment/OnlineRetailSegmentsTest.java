package io.ulm.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.ImportService;
import io.ulm.ingest.Imports;
import io.ulm.platform.Json;
import io.ulm.projection.ProjectionProgress;
import io.ulm.projection.ReplayAudit;
import io.ulm.support.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Segments on Online Retail, in a database of its own: RFM scores equal an independent computation from the
 * raw CSV at the watermark (the last invoice, 2011-12-09 12:50); segment events are emitted once (a second
 * evaluation at the same watermark and a replay emit nothing); the silhouette-chosen k-means beats random
 * labels; DBSCAN leaves outliers unassigned; then the API on the same data (one database, one import).
 */
@QuarkusTest
@TestProfile(SegmentsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineRetailSegmentsTest {

    static final Instant WATERMARK = Instant.parse("2011-12-09T12:50:00Z");
    private static final String SEGMENT_EVENTS = "SELECT count(*) FROM domain_event_entry WHERE payload_type IN "
            + "('io.ulm.lifecycle.api.UserEnteredSegment', 'io.ulm.lifecycle.api.UserLeftSegment')";
    private static final String MEMBERSHIP = "SELECT count(*) || ':' || md5(string_agg(m::text, '|' ORDER BY m::text)) FROM segment_membership m";

    @Inject
    Imports imports;
    @Inject
    ProjectionProgress progress;
    @Inject
    DataSource dataSource;
    @Inject
    Clustering clustering;
    @Inject
    SegmentEvaluator evaluator;
    @Inject
    ReplayAudit replayAudit;

    @Test
    @Order(1)
    void importAndEvaluate() throws Exception {
        long t0 = System.nanoTime();
        ImportService.Result result;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SegmentsDb.dataset()), 1 << 16)) {
            result = imports.csv(in, CsvMapping.load("online-retail"), "test", null);
        }
        assertThat(result.rejected()).isZero();
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(3))).as("projections caught up with the import").isTrue();
        System.out.printf("[segments] Online Retail imported in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        JsonNode evaluation = SegmentsDb.evaluate();
        System.out.println("[segments] first evaluation: " + evaluation);
        assertThat(evaluation.path("status").asText()).isEqualTo("done");
        assertThat(Instant.parse(evaluation.path("watermark").asText())).isEqualTo(WATERMARK);
        assertThat(evaluation.path("clustered").asBoolean()).isTrue();
        assertThat(evaluation.path("left").asLong()).isZero();
        db().awaitProjections();
        assertThat(db().scalar(SEGMENT_EVENTS)).as("one event per entry").isEqualTo(evaluation.path("entered").asText());
        assertThat(db().scalar("SELECT count(*) FROM segment_membership")).isEqualTo(evaluation.path("entered").asText());
        assertThat(db().scalar("SELECT count(DISTINCT at) || ' ' || min(at) FROM (SELECT convert_from(payload, 'UTF8')::jsonb->>'at' AS at "
                + "FROM domain_event_entry WHERE payload_type LIKE '%Segment') e")).as("every event dated at the watermark")
                .isEqualTo("1 " + WATERMARK);
    }

    @Test
    @Order(2)
    void rfmScoresEqualAnIndependentComputationFromTheRawFile() throws Exception {
        Map<String, RetailRfm.Expected> expected = RetailRfm.compute(SegmentsDb.dataset(), LocalDate.parse("2011-12-09"));
        Map<String, RetailRfm.Expected> actual = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, segment_id, evidence::text FROM segment_membership WHERE segment_id LIKE 'rfm:%'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode e = Json.mapper().readTree(rs.getString(3));
                actual.put(rs.getString(1), new RetailRfm.Expected(rs.getString(1), e.path("recencyDays").asLong(), e.path("frequency").asLong(),
                        e.path("monetary").decimalValue(), e.path("r").asInt(), e.path("f").asInt(), e.path("m").asInt(), rs.getString(2)));
            }
        }
        assertThat(actual.keySet()).as("buyers").isEqualTo(expected.keySet());
        for (RetailRfm.Expected want : expected.values()) {
            RetailRfm.Expected got = actual.get(want.customer());
            assertThat(List.of(got.recencyDays(), got.frequency(), got.r(), got.f(), got.m(), got.segment())).as(want.customer())
                    .isEqualTo(List.of(want.recencyDays(), want.frequency(), want.r(), want.f(), want.m(), want.segment()));
            assertThat(got.monetary()).as(want.customer() + " monetary").isEqualByComparingTo(want.monetary());
        }
        Map<String, Long> sizes = new TreeMap<>();
        expected.values().forEach(e -> sizes.merge(e.segment(), 1L, Long::sum));
        System.out.println("[segments] " + expected.size() + " buyers, RFM segments " + sizes);
        JsonNode listed = Json.mapper().readTree(Api.reader().get("/v1/segments").then().statusCode(200).extract().asString());
        for (JsonNode s : listed.path("segments")) {
            if (s.path("family").asText().equals("rfm")) {
                assertThat(s.path("size").asLong()).as(s.path("id").asText()).isEqualTo(sizes.getOrDefault(s.path("id").asText(), 0L));
            }
        }
    }

    @Test
    @Order(3)
    void aSecondEvaluationAtTheSameWatermarkAndAReplayEmitNothing() throws Exception {
        String events = db().scalar("SELECT count(*) FROM domain_event_entry");
        String membership = db().scalar(MEMBERSHIP);
        JsonNode again = SegmentsDb.evaluate();
        assertThat(again.path("status").asText()).isEqualTo("done");
        assertThat(List.of(again.path("usersChanged").asLong(), again.path("entered").asLong(), again.path("left").asLong()))
                .as("second evaluation: " + again).containsExactly(0L, 0L, 0L);
        assertThat(db().scalar("SELECT count(*) FROM domain_event_entry")).as("events after a second evaluation").isEqualTo(events);

        Api.admin().post("/v1/admin/projections/segments/replay").then().statusCode(202);
        db().awaitProjections();
        assertThat(db().scalar(MEMBERSHIP)).as("membership rebuilt by a replay").isEqualTo(membership);
        assertThat(db().scalar("SELECT count(*) FROM domain_event_entry")).as("events after a replay").isEqualTo(events);

        // the audit's own bean: over every projection of the import it takes longer than an HTTP client waits
        JsonNode audit = Json.mapper().valueToTree(replayAudit.run());
        JsonNode segments = null;
        for (JsonNode p : audit.path("projections")) {
            segments = p.path("projection").asText().equals(SegmentProjection.NAME) ? p : segments;
        }
        assertThat(segments).as(audit.toString()).isNotNull();
        assertThat(segments.path("identical").asBoolean()).as(segments.toString()).isTrue();
        assertThat(segments.path("tables").get(0).path("liveRows").asLong()).isPositive();
    }

    @Test
    @Order(4)
    void clustersBeatRandomLabelsAndDbscanLeavesOutliersUnassigned() throws Exception {
        ClusterRun run;
        try (Connection c = dataSource.getConnection()) {
            run = clustering.run(c, LocalDate.parse("2011-12-09"));
        }
        List<double[]> points = run.points().points().stream().map(ClusterFeatures.UserPoint::scaled).toList();
        int k = run.kmeans().k();
        double chosen = Silhouette.mean(points, run.kmeans().labels(), k);
        int[] random = new int[points.size()];
        Random rnd = new Random(7);
        for (int i = 0; i < random.length; i++) {
            random[i] = rnd.nextInt(k);
        }
        double baseline = Silhouette.mean(points, random, k);
        System.out.printf("[segments] k-means k=%d (by silhouette %s): silhouette %.3f on all %d buyers, random labels %.3f%n", k,
                run.kmeans().candidates(), chosen, points.size(), baseline);
        assertThat(chosen).isGreaterThan(baseline + 0.2);

        long outliers = run.dbscan().outliers();
        System.out.printf("[segments] DBSCAN eps=%.2f minPts=%d: %d clusters, %d outliers%n", run.dbscan().eps(), run.dbscan().minPts(),
                run.dbscan().medoids().size(), outliers);
        assertThat(run.dbscan().medoids()).isNotEmpty();
        assertThat(outliers).isPositive().isLessThan(points.size() / 2);
        List<String> unassigned = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (run.dbscan().labels()[i] < 0) {
                unassigned.add(run.points().points().get(i).userId());
            }
        }
        assertThat(db().scalar("SELECT count(*) FROM segment_membership WHERE segment_id LIKE 'cluster:dbscan:%'"))
                .isEqualTo(Long.toString(points.size() - outliers));
        assertThat(db().scalar("SELECT count(*) FROM segment_membership WHERE segment_id LIKE 'cluster:dbscan:%' AND user_id = ANY('{"
                + String.join(",", unassigned) + "}')")).as("outliers are in no DBSCAN segment").isEqualTo("0");
        assertThat(db().scalar("SELECT count(*) FROM segment_membership WHERE segment_id LIKE 'cluster:kmeans:%'"))
                .as("every buyer in one k-means cluster").isEqualTo(Integer.toString(points.size()));

        JsonNode clusters = Json.mapper().readTree(Api.reader().get("/v1/segments/clusters").then().statusCode(200).extract().asString());
        System.out.println("[segments] clusters: " + clusters);
        assertThat(clusters.path("kmeans").size()).isEqualTo(k);
        for (JsonNode c : clusters.path("kmeans")) {
            JsonNode centroid = c.path("centroid");
            assertThat(centroid.path("recencyDays").asDouble()).as("centroid in days").isBetween(0.0, 374.0);
            assertThat(centroid.path("frequency").asDouble()).as("centroid in orders").isBetween(1.0, 250.0);
        }
        JsonNode medoid = clusters.path("dbscan").get(0);
        String user = medoid.path("medoidUserId").asText();
        assertThat(db().scalar("SELECT frequency FROM (SELECT user_id, sum(purchases) AS frequency FROM analytics_activity_day GROUP BY user_id) f "
                + "WHERE user_id = '" + user + "'")).as("a medoid is a real buyer, in original units")
                .isEqualTo(Long.toString(medoid.path("medoid").path("frequency").asLong()));
    }

    @Test
    @Order(5)
    void ruleSegmentsMatchTheirDefinitionAndInterestsWaitForTheirTable() throws Exception {
        assertThat(db().members("rule:big-spenders-uk")).as("big spenders, by a query written here").isEqualTo(db().column("""
                SELECT p.user_id FROM user_profile p JOIN user_trait t ON t.user_id = p.user_id AND t.trait = 'country'
                WHERE t.value = '"United Kingdom"' AND p.revenue - p.refunded >= 5000 ORDER BY p.user_id COLLATE "C"
                """)).isNotEmpty();
        assertThat(db().members("rule:slipping-regulars")).isEqualTo(db().column(
                "SELECT user_id FROM user_profile WHERE stage = 'AT_RISK' AND purchases >= 5 ORDER BY user_id COLLATE \"C\"")).isNotEmpty();
        JsonNode drama = SegmentsDb.segment("rule:drama-fans");
        assertThat(drama.path("size").asLong()).isZero();
        assertThat(drama.path("skipped").asText()).isEqualTo("uses category interests (" + SegmentsProfile.DEFINITIONS
                + "/drama-fans.yaml:8) but the features projection's table 'segment_test_interest' (user_id, category, weight) "
                + "does not exist: not evaluated");

        db().execute("CREATE TABLE segment_test_interest (user_id TEXT, category TEXT, weight NUMERIC)");
        db().execute("INSERT INTO segment_test_interest VALUES ('12347', 'Drama', 7.5), ('12348', 'Drama', 2), ('12349', 'Comedy', 9)");
        JsonNode evaluation = SegmentsDb.evaluate();
        assertThat(evaluation.path("entered").asLong()).as(evaluation.toString()).isEqualTo(1);
        db().awaitProjections();
        assertThat(db().members("rule:drama-fans")).containsExactly("12347");
        assertThat(SegmentsDb.segment("rule:drama-fans").has("skipped")).isFalse();
    }

    @Test
    @Order(6)
    void membersPageByUserIdAndUsersListTheirSegments() throws Exception {
        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var request = Api.reader().queryParam("limit", 97);
            if (after != null) {
                request = request.queryParam("after", after);
            }
            JsonNode page = Json.mapper().readTree(request.get("/v1/segments/rfm:hibernating/members").then().statusCode(200).extract().asString());
            page.path("members").forEach(m -> paged.add(m.path("userId").asText()));
            after = page.has("next") ? page.path("next").asText() : null;
            pages++;
        } while (after != null);
        List<String> all = db().members("rfm:hibernating");
        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo((all.size() + 96) / 97);
        Api.reader().queryParam("limit", 0).get("/v1/segments/rfm:lost/members").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/invalid-parameter")).body("parameter", org.hamcrest.Matchers.equalTo("limit"));
        Api.reader().get("/v1/segments/rfm:vip/members").then().statusCode(404)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/unknown-segment"));
        Api.reader().get("/v1/segments/cluster:kmeans:99/members").then().statusCode(200)
                .body("members.size()", org.hamcrest.Matchers.equalTo(0));

        JsonNode user = Json.mapper().readTree(Api.reader().get("/v1/users/12347/segments").then().statusCode(200).extract().asString());
        List<String> ids = new ArrayList<>();
        user.path("segments").forEach(s -> ids.add(s.path("segmentId").asText()));
        assertThat(ids).isEqualTo(db().column("SELECT segment_id FROM segment_membership WHERE user_id = '12347' ORDER BY segment_id"));
        assertThat(ids).anyMatch(i -> i.startsWith("rfm:")).anyMatch(i -> i.startsWith("cluster:kmeans:"));
        Api.reader().get("/v1/users/nobody-here/segments").then().statusCode(404).body("type", org.hamcrest.Matchers.equalTo("/problems/unknown-user"));
        Api.writer().get("/v1/segments").then().statusCode(403);
        Api.reader().post("/v1/admin/segments/evaluate").then().statusCode(403);
    }

    @Test
    @Order(7)
    void aBrokenDefinitionStopsTheNextEvaluationWithItsFileAndLine() throws Exception {
        String events = db().scalar("SELECT count(*) FROM domain_event_entry");
        String runs = db().scalar("SELECT count(*) FROM segment_evaluation");
        Path broken = SegmentsProfile.DEFINITIONS.resolve("zz-broken.yaml");
        Files.writeString(broken, """
                id: broken
                name: Broken
                when:
                  all:
                    - trait: country
                      eq: France
                    - profile: revenue
                      greaterThan: 1000
                """);
        try {
            String file = SegmentsProfile.DEFINITIONS + "/zz-broken.yaml";
            String problem = "unknown operator 'greaterThan' (expected one of eq, ne, gt, gte, lt, lte, between, in, notIn)";
            Api.admin().post("/v1/admin/segments/evaluate").then().statusCode(422)
                    .body("type", org.hamcrest.Matchers.equalTo("/problems/invalid-segment-definition"))
                    .body("detail", org.hamcrest.Matchers.equalTo(file + ":8:20: " + problem))
                    .body("file", org.hamcrest.Matchers.equalTo(file)).body("line", org.hamcrest.Matchers.equalTo(8))
                    .body("problem", org.hamcrest.Matchers.equalTo(problem));
            assertThat(db().scalar("SELECT count(*) FROM domain_event_entry")).isEqualTo(events);
            assertThat(db().scalar("SELECT count(*) FROM segment_evaluation")).isEqualTo(runs);
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    @Order(8)
    void segmentsAsOfAnInstantAreThoseOfThen() throws Exception {
        List<String> users = db().column("SELECT DISTINCT user_id FROM segment_membership ORDER BY user_id LIMIT 40");
        Map<String, JsonNode> before = new TreeMap<>();
        for (String u : users) {
            before.put(u, Json.mapper().readTree(Api.reader().get("/v1/users/" + u + "/segments").then().statusCode(200).extract().asString()));
        }
        Instant later = Instant.parse("2011-12-20T10:00:00Z");
        Api.writer().body("{\"batch\":[{\"type\":\"track\",\"messageId\":\"seg-probe-1\",\"userId\":\"seg-probe\",\"event\":"
                + "\"Order Completed\",\"timestamp\":\"" + later + "\",\"properties\":{\"revenue\":12.5}}]}").post("/v1/batch").then().statusCode(200);
        db().awaitProjections();
        JsonNode moved = SegmentsDb.evaluate();
        System.out.println("[segments] evaluation after the watermark moved: " + moved);
        assertThat(Instant.parse(moved.path("watermark").asText())).isEqualTo(later);
        assertThat(moved.path("left").asLong()).isPositive();
        assertThat(evaluator.evaluate(false).detail()).startsWith("the watermark has not moved");
        db().awaitProjections();

        List<String> changed = db().column("SELECT DISTINCT aggregate_identifier FROM domain_event_entry WHERE payload_type LIKE '%UserLeftSegment' "
                + "AND aggregate_identifier = ANY('{" + String.join(",", users) + "}')");
        assertThat(changed).as("some of the users changed segments").isNotEmpty();
        for (String u : users) {
            JsonNode then = SegmentsDb.asOf(u, WATERMARK);
            assertThat(then.path("segments")).as(u + " as of the first watermark").isEqualTo(before.get(u).path("segments"));
            JsonNode now = Json.mapper().readTree(Api.reader().get("/v1/users/" + u + "/segments").then().statusCode(200).extract().asString());
            assertThat(SegmentsDb.asOf(u, later).path("segments")).as(u + " as of the second watermark").isEqualTo(now.path("segments"));
            assertThat(SegmentsDb.asOf(u, WATERMARK.minusSeconds(1)).path("segments").size()).as(u + " before any evaluation").isZero();
        }
        Api.reader().queryParam("asOf", "2011-12-19T00:00:00Z").get("/v1/users/seg-probe/segments").then().statusCode(404);
        Api.reader().queryParam("asOf", "yesterday").get("/v1/users/12347/segments").then().statusCode(400)
                .body("parameter", org.hamcrest.Matchers.equalTo("asOf"));
        String timeline = Api.reader().queryParam("limit", 1000).get("/v1/users/" + changed.get(0) + "/timeline").then().statusCode(200).extract().asString();
        assertThat(timeline).contains("\"type\":\"UserEnteredSegment\"").contains("\"type\":\"UserLeftSegment\"");
    }

    private SegmentsDb db() {
        return new SegmentsDb(dataSource, progress);
    }
}
