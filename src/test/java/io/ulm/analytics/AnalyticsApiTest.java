package io.ulm.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.platform.Json;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The four reports through HTTP, on the hand-made {@link Scenario} ingested with the Segment API in its own
 * database: the SQL must give exactly what was worked out by hand (and what the pure tests get). The
 * scenario lives in 2009, before any Online Retail data the other test of this database imports, and every
 * request names its range, so the order of the two tests does not matter.
 */
@QuarkusTest
@TestProfile(AnalyticsProfile.class)
class AnalyticsApiTest {

    private static final String RANGE = "from=2009-02-01&to=2009-05-01";
    /** Users acquired in 2009 before the clock user (whose own inactivity depends on how far the clock is). */
    private static final String YEAR = "from=2009-01-01&to=2009-12-01";
    private static boolean loaded;

    @Inject
    LifecycleClock clock;
    @Inject
    ClockSweep sweep;
    @Inject
    ProjectionProgress progress;

    @BeforeEach
    void load() throws Exception {
        synchronized (AnalyticsApiTest.class) {
            if (loaded) {
                return;
            }
            ArrayNode batch = Json.mapper().createArrayNode();
            int n = 0;
            for (Scenario.User u : Scenario.USERS) {
                for (Scenario.Message m : u.messages()) {
                    ObjectNode msg = batch.addObject().put("type", m.type()).put("userId", u.id())
                            .put("messageId", u.id() + "-" + n++).put("timestamp", m.at().toString());
                    if (m.event() != null) {
                        msg.put("event", m.event());
                    }
                    if ("Order Completed".equals(m.event())) {
                        msg.putObject("properties").put("revenue", 20);
                    }
                    if ("identify".equals(m.type())) {
                        msg.putObject("traits").put("plan", "free");
                    }
                }
            }
            post(batch);
            // a later user moves the event-time clock to the end of 2009; the sweep then decides every scenario
            // user's inactivity up to there (whether or not Online Retail has already moved the clock further)
            post(Json.mapper().createArrayNode().add(Json.mapper().createObjectNode().put("type", "track").put("userId", "an-clock")
                    .put("event", "Product Viewed").put("messageId", "an-clock-0").put("timestamp", "2009-12-31T12:00:00Z")));
            sweep.sweepUpTo(clock.watermark());
            assertThat(progress.awaitCaughtUp(Duration.ofSeconds(60))).as("projections caught up").isTrue();
            loaded = true;
        }
    }

    private static void post(ArrayNode batch) {
        Api.writer().body(Json.mapper().createObjectNode().set("batch", batch).toString()).post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(batch.size()));
    }

    @Test
    void weeklyAndMonthlyCohorts() {
        JsonNode weekly = json("/v1/analytics/cohorts?period=week&retention=recurring&" + RANGE);
        assertThat(weekly.path("period").asText()).isEqualTo("week");
        assertThat(weekly.path("retention").asText()).isEqualTo("recurring");
        assertThat(weekly.path("end").asText()).isEqualTo("2009-04-06");
        assertCohorts(weekly, List.of("2009-02-23", "2009-03-02"), Scenario.WEEKLY_SIZES, Scenario.WEEKLY_RECURRING);
        List<String> shares = new ArrayList<>();
        weekly.at("/cohorts/1/shares").forEach(v -> shares.add(number(v)));
        assertThat(shares).containsExactly("0.5", "0.25", "0.25", "0.25", "0.0", "0.25");
        assertCohorts(json("/v1/analytics/cohorts?period=week&retention=cumulative&" + RANGE),
                List.of("2009-02-23", "2009-03-02"), Scenario.WEEKLY_SIZES, Scenario.WEEKLY_CUMULATIVE);
        assertCohorts(json("/v1/analytics/cohorts?period=month&retention=recurring&" + RANGE),
                List.of("2009-03-01"), new long[]{5}, Scenario.MONTHLY_RECURRING);
        assertCohorts(json("/v1/analytics/cohorts?period=month&retention=cumulative&" + RANGE),
                List.of("2009-03-01"), new long[]{5}, Scenario.MONTHLY_CUMULATIVE);
    }

    @Test
    void lifecycleSeries() {
        assertLifecycle(json("/v1/analytics/lifecycle?period=week&" + RANGE), "2009-02-23", Scenario.WEEKLY_LIFECYCLE);
        assertLifecycle(json("/v1/analytics/lifecycle?period=month&" + RANGE), "2009-03-01", Scenario.MONTHLY_LIFECYCLE);
    }

    @Test
    void funnelCountsJumpsForTheStagesPassed() {
        JsonNode f = json("/v1/analytics/funnel?" + YEAR);
        assertThat(f.path("users").asLong()).isEqualTo(5);
        List<String> steps = new ArrayList<>();
        f.path("steps").forEach(s -> steps.add(s.path("stage").asText() + " " + s.path("users").asLong() + " "
                + s.path("previous").asText() + " " + number(s.path("conversion"))));
        assertThat(steps).containsExactly("ACQUIRED 5 null null", "ACTIVATED 3 ACQUIRED 0.6", "ENGAGED 2 ACTIVATED 0.6667",
                "MONETIZED 1 ENGAGED 0.5", "LOYAL 0 MONETIZED 0.0", "AT_RISK 5 ACQUIRED 1.0", "CHURNED 5 AT_RISK 1.0",
                "REACTIVATED 1 AT_RISK 0.2");
    }

    @Test
    void transitionsPerMonthAndOverall() {
        assertThat(transitions("month")).containsExactly(
                "2009-03-01 null>ACQUIRED 5/5 1.0", "2009-03-01 ACQUIRED>ACTIVATED 1/3 0.3333",
                "2009-03-01 ACQUIRED>ENGAGED 1/3 0.3333", "2009-03-01 ACQUIRED>MONETIZED 1/3 0.3333",
                "2009-04-01 ACQUIRED>AT_RISK 2/2 1.0", "2009-04-01 ACTIVATED>AT_RISK 1/1 1.0", "2009-04-01 MONETIZED>AT_RISK 1/1 1.0",
                "2009-05-01 ENGAGED>AT_RISK 1/1 1.0", "2009-05-01 AT_RISK>CHURNED 1/2 0.5", "2009-05-01 AT_RISK>REACTIVATED 1/2 0.5",
                "2009-06-01 AT_RISK>CHURNED 2/2 1.0", "2009-06-01 REACTIVATED>AT_RISK 1/1 1.0",
                "2009-07-01 AT_RISK>CHURNED 1/1 1.0", "2009-08-01 AT_RISK>CHURNED 1/1 1.0");
        assertThat(transitions("all")).contains("null null>ACQUIRED 5/5 1.0", "null AT_RISK>CHURNED 5/6 0.8333",
                "null AT_RISK>REACTIVATED 1/6 0.1667", "null ACQUIRED>AT_RISK 2/5 0.4");
    }

    @Test
    void csvByAcceptHeaderOrFormatParameter() {
        String byHeader = Api.reader().accept("text/csv").get("/v1/analytics/cohorts?period=week&" + RANGE)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        String byParam = Api.reader().get("/v1/analytics/cohorts?period=week&format=csv&" + RANGE)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(byParam).isEqualTo(byHeader);
        assertThat(byHeader.split("\r\n")).startsWith("cohort,users,k,period,retained,share", "2009-02-23,1,0,2009-02-23,1,1.0")
                .contains("2009-03-02,4,5,2009-04-06,1,0.25").hasSize(1 + 7 + 6);
        assertThat(Api.reader().get("/v1/analytics/transitions?period=all&format=csv&" + YEAR).asString())
                .startsWith("period,from,to,count,out_of,probability\r\nall,,ACQUIRED,5,5,1.0\r\n");
        assertThat(Api.reader().get("/v1/analytics/lifecycle?period=month&format=csv&" + RANGE).asString()).isEqualTo(
                "period,new,returning,resurrecting,dormant,active\r\n2009-03-01,4,0,0,0,4\r\n2009-04-01,0,1,0,-3,1\r\n");
        assertThat(Api.reader().get("/v1/analytics/funnel?format=csv&" + YEAR).asString())
                .contains("stage,users,previous,conversion,share\r\nACQUIRED,5,,,1.0\r\nACTIVATED,3,ACQUIRED,0.6,0.6\r\n");
        // JSON wins over CSV when the client prefers it; and JSON is the default
        Api.reader().accept("application/json, text/csv;q=0.5").get("/v1/analytics/funnel").then().statusCode(200)
                .contentType(startsWith("application/json"));
        Api.reader().get("/v1/analytics/funnel").then().statusCode(200).contentType(startsWith("application/json"));
    }

    @Test
    void badParametersAreNamed() {
        badParameter("/v1/analytics/cohorts?period=day", "period");
        badParameter("/v1/analytics/cohorts?retention=rolling", "retention");
        badParameter("/v1/analytics/transitions?period=year", "period");
        badParameter("/v1/analytics/lifecycle?from=2011-13-01", "from");
        badParameter("/v1/analytics/funnel?from=2011-02-01&to=2011-02-01", "to");
        badParameter("/v1/analytics/funnel?format=xml", "format");
        RestAssured.given().get("/v1/analytics/funnel").then().statusCode(401);
        Api.writer().get("/v1/analytics/funnel").then().statusCode(403);
    }

    @Test
    void documentedWithExamplesForJsonAndCsv() {
        JsonNode paths = json("/q/openapi").path("paths");
        for (String report : List.of("funnel", "cohorts", "transitions", "lifecycle")) {
            JsonNode get = paths.path("/v1/analytics/" + report).path("get");
            assertThat(get.path("summary").asText()).as(report).isNotBlank();
            JsonNode ok = get.at("/responses/200/content");
            assertThat(ok.at("/application~1json/examples").size()).as(report + " JSON example").isPositive();
            assertThat(ok.at("/text~1csv/examples").size()).as(report + " CSV example").isPositive();
            assertThat(get.at("/responses/400/content/application~1problem+json/examples").size()).as(report + " 400").isPositive();
        }
    }

    private static void badParameter(String path, String parameter) {
        Api.reader().accept("text/csv").get(path).then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/invalid-parameter")).body("parameter", equalTo(parameter));
    }

    private static List<String> transitions(String period) {
        List<String> rows = new ArrayList<>();
        json("/v1/analytics/transitions?period=" + period + "&" + YEAR).path("periods").forEach(g -> g.path("cells").forEach(c ->
                rows.add(g.path("start").asText() + " " + c.path("from").asText() + ">" + c.path("to").asText() + " "
                        + c.path("count").asLong() + "/" + c.path("outOf").asLong() + " " + number(c.path("probability")))));
        return rows;
    }

    /** A number as Java prints a double (the test's JSON reader keeps 1.0 as the BigDecimal 1). */
    static String number(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "null" : String.valueOf(value.asDouble());
    }

    static JsonNode json(String path) {
        Response r = Api.reader().accept("application/json").get(path);
        r.then().statusCode(200).contentType(startsWith("application/json"));
        try {
            return Json.mapper().readTree(r.asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertCohorts(JsonNode matrix, List<String> cohorts, long[] sizes, long[][] counts) {
        JsonNode rows = matrix.path("cohorts");
        assertThat(rows.size()).as("cohorts").isEqualTo(cohorts.size());
        for (int i = 0; i < cohorts.size(); i++) {
            assertThat(rows.get(i).path("cohort").asText()).isEqualTo(cohorts.get(i));
            assertThat(rows.get(i).path("users").asLong()).isEqualTo(sizes[i]);
            List<Long> got = new ArrayList<>();
            rows.get(i).path("counts").forEach(c -> got.add(c.asLong()));
            assertThat(got).as("cohort " + cohorts.get(i) + " of " + matrix.path("retention")).isEqualTo(Scenario.list(counts[i]));
        }
    }

    private static void assertLifecycle(JsonNode series, String first, long[][] expected) {
        JsonNode points = series.path("series");
        assertThat(points.get(0).path("period").asText()).isEqualTo(first);
        List<String> got = new ArrayList<>();
        List<String> want = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            got.add(p.path("new").asLong() + "," + p.path("returning").asLong() + "," + p.path("resurrecting").asLong() + ","
                    + p.path("dormant").asLong() + " active " + p.path("active").asLong());
        }
        for (long[] e : expected) {
            want.add(e[0] + "," + e[1] + "," + e[2] + "," + e[3] + " active " + (e[0] + e[1] + e[2]));
        }
        assertThat(got).isEqualTo(want);
    }
}
