package io.ulm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.platform.Json;
import io.ulm.privacy.PrivacyProfile;
import io.ulm.privacy.SimulatedShop;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.winback.UpliftStats;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.sql.DataSource;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard in a real headless browser (Debian's Chromium through Selenium) on the simulated shop: the page is
 * served by ULM itself, every chart renders (its canvas has pixels), the numbers it shows are the API's, the user
 * lookup shows the timeline with the reasons of transitions, and a key without the read role is turned away.
 * Writes target/dashboard.png; with {@code -Ddashboard.screenshot=docs/dashboard.png} also that file.
 */
@QuarkusTest
@TestProfile(PrivacyProfile.class)
class DashboardBrowserTest {

    private static final List<String> CHARTS = List.of("funnel", "lifecycle", "segments", "churn-models", "recommender-models");
    private static final String RENDERED = """
            const canvas = document.getElementById(arguments[0]);
            const chart = Chart.getChart(canvas);
            if (!chart || canvas.width === 0 || canvas.height === 0) return false;
            const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < px.length; i += 4) { if (px[i] !== 0) return true; }
            return false;""";

    @TestHTTPResource("/dashboard/")
    URL page;
    @Inject
    ClockSweep sweep;
    @Inject
    DataSource db;

    @Test
    void everyChartRendersTheApiNumbersAndTheLookupShowsWhy() throws Exception {
        SimulatedShop.load(sweep);
        RestAssured.get("/dashboard/").then().statusCode(200).contentType("text/html");
        RestAssured.get("/webjars/chart.js/dist/chart.umd.min.js").then().statusCode(200);
        ChromeDriver browser = Browser.start(1440, 1000);
        try {
            showWith(browser, Api.READ_KEY);
            for (String id : CHARTS) {
                assertThat((Boolean) browser.executeScript(RENDERED, id)).as("chart " + id + " rendered").isTrue();
            }

            JsonNode stages = api("/v1/stages");
            assertThat(tile(browser, "TOTAL")).isEqualTo(stages.path("total").asLong());
            stages.path("stages").fields().forEachRemaining(s -> assertThat(tile(browser, s.getKey())).as(s.getKey()).isEqualTo(s.getValue().asLong()));

            JsonNode funnel = api("/v1/analytics/funnel");
            assertThat(labels(browser, "funnel")).isEqualTo(texts(funnel.path("steps"), "stage"));
            assertThat(data(browser, "funnel", 0)).isEqualTo(numbers(funnel.path("steps"), "users"));

            JsonNode lifecycle = api("/v1/analytics/lifecycle?period=week");
            assertThat(labels(browser, "lifecycle")).isEqualTo(texts(lifecycle.path("series"), "period"));
            List<String> series = List.of("new", "returning", "resurrecting", "dormant", "active");
            for (int i = 0; i < series.size(); i++) {
                assertThat(data(browser, "lifecycle", i)).as(series.get(i)).isEqualTo(numbers(lifecycle.path("series"), series.get(i)));
            }
            assertThat(numbers(lifecycle.path("series"), "dormant")).anyMatch(n -> n < 0);

            JsonNode cohorts = api("/v1/analytics/cohorts?period=week");
            assertThat(cohorts.path("cohorts").size()).isGreaterThan(5);
            for (JsonNode cohort : cohorts.path("cohorts")) {
                List<WebElement> cells = browser.findElements(By.cssSelector("#cohorts tr[data-cohort='" + cohort.path("cohort").asText() + "'] td.cell"));
                List<Double> shown = cells.stream().map(c -> Double.valueOf(c.getAttribute("data-count"))).toList();
                List<Double> counts = new ArrayList<>();
                cohort.path("counts").forEach(n -> counts.add(n.asDouble()));
                assertThat(shown).as(cohort.path("cohort").asText()).isEqualTo(counts);
                JsonNode last = cohort.path("shares").get(cohort.path("shares").size() - 1);
                assertThat(cells.get(cells.size() - 1).getText()).isEqualTo(Math.round(last.asDouble() * 100) + "%");
            }

            JsonNode segments = api("/v1/segments");
            assertThat(data(browser, "segments", 0)).isEqualTo(numbers(segments.path("segments"), "size"));
            JsonNode clusters = api("/v1/segments/clusters");
            assertThat(clusters.path("kmeans").size()).isPositive();
            for (JsonNode c : clusters.path("kmeans")) {
                assertThat(browser.findElement(By.cssSelector("#clusters tr[data-segment='" + c.path("segmentId").asText() + "'] td.size")).getText())
                        .isEqualTo(c.path("size").asText());
            }

            JsonNode models = api("/v1/models");
            JsonNode churn = active(models, "churn");
            List<Double> auc = new ArrayList<>();
            churn.path("metrics").path("test").forEach(m -> auc.add(m.path("rocAuc").asDouble()));
            assertThat(labels(browser, "churn-models")).contains(churn.path("name").asText(), "recency-rule");
            assertThat(data(browser, "churn-models", 0)).usingElementComparator((a, b) -> Math.abs(a - b) < 1e-12 ? 0 : 1).isEqualTo(auc);
            List<Double> ndcg = new ArrayList<>();
            active(models, "recommender").path("metrics").path("test").forEach(m -> {
                if (m.path("k").asInt() == 10) {
                    ndcg.add(m.path("ndcg").asDouble());
                }
            });
            assertThat(labels(browser, "recommender-models")).contains("Popularity");
            assertThat(data(browser, "recommender-models", 0)).isEqualTo(ndcg);

            int winback = RestAssured.given().header("Authorization", "Bearer " + Api.READ_KEY)
                    .get("/v1/winback/campaigns/winback-default/results").statusCode();
            if (winback == 404) {
                assertThat(browser.findElement(By.id("winback-empty")).isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("winback-empty")).getText()).contains("No campaigns");
            } else {
                assertThat(winback).isEqualTo(200);
                assertThat((Boolean) browser.executeScript(RENDERED, "winback")).as("win-back chart rendered").isTrue();
                assertThat(browser.findElements(By.cssSelector("#winback-table tr[data-arm]"))).isNotEmpty();
            }
            assertThat(browser.findElement(By.id("status")).getText()).as("no section failed").isEmpty();

            lookUp(browser);
            screenshot(browser);
        } finally {
            browser.quit();
        }
    }

    @Test
    void aKeyWithoutTheReadRoleSeesNoData() {
        ChromeDriver browser = Browser.start(1200, 800);
        try {
            browser.get(page.toString());
            browser.findElement(By.id("key")).sendKeys(Api.WRITE_KEY);
            browser.findElement(By.cssSelector("#login button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> b.findElement(By.id("status")).getText().contains("role read"));
            assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
        } finally {
            browser.quit();
        }
    }

    /**
     * The win-back panel reads the results endpoint (built on another branch) as {@code UpliftStats.Report}
     * serialises, bare or wrapped: entrants, returns, uplift and interval of every arm come through unchanged.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theWinbackPanelReadsUpliftReports() throws Exception {
        UpliftStats.Report report = UpliftStats.compare(new UpliftStats.Counts("holdout", 200, 20),
                List.of(new UpliftStats.Counts("reminder-then-offer", 400, 64), new UpliftStats.Counts("offer-only", 380, 41)));
        ChromeDriver browser = Browser.start(1200, 800);
        try {
            browser.get(page.toString());
            for (String json : List.of(Json.mapper().writeValueAsString(report),
                    Json.mapper().writeValueAsString(Map.of("campaignId", "winback-default", "uplift", report)))) {
                List<Map<String, Object>> arms = (List<Map<String, Object>>) browser.executeScript("return arms(JSON.parse(arguments[0]))", json);
                assertThat(arms).hasSize(2);
                for (int i = 0; i < 2; i++) {
                    UpliftStats.ArmUplift expected = report.arms().get(i);
                    Map<String, Object> shown = arms.get(i);
                    assertThat(shown.get("arm")).isEqualTo(expected.arm());
                    assertThat(((Number) shown.get("n")).longValue()).isEqualTo(expected.treated().n());
                    assertThat(((Number) shown.get("returned")).longValue()).isEqualTo(expected.treated().returned());
                    assertThat(((Number) shown.get("difference")).doubleValue()).isCloseTo(expected.difference(), within(1e-12));
                    assertThat(((Number) shown.get("low")).doubleValue()).isCloseTo(expected.ci().low(), within(1e-12));
                    assertThat(((Number) shown.get("high")).doubleValue()).isCloseTo(expected.ci().high(), within(1e-12));
                }
            }
        } finally {
            browser.quit();
        }
    }

    /** A customer who went through several stages: her timeline rows and the rules that moved her. */
    private void lookUp(ChromeDriver browser) {
        String user = (String) E2e.rows(db, "SELECT user_id FROM user_profile p WHERE user_id LIKE 'sim-%' AND stage IS NOT NULL "
                + "ORDER BY (SELECT count(*) FROM analytics_stage_transition t WHERE t.user_id = p.user_id) DESC, user_id LIMIT 1").get(0).get("user_id");
        JsonNode timeline = api("/v1/users/" + user + "/timeline?limit=1000");
        JsonNode profile = api("/v1/users/" + user);
        WebElement input = browser.findElement(By.id("user"));
        input.clear();
        input.sendKeys(user);
        browser.findElement(By.cssSelector("#lookup button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b ->
                b.findElements(By.cssSelector("#timeline tr[data-sequence]")).size() == timeline.path("entries").size());
        assertThat(browser.findElement(By.id("profile")).getText()).contains(user).contains(profile.path("stage").asText())
                .contains(timeline.path("events").asText() + " events");
        List<String> rules = new ArrayList<>();
        timeline.path("entries").forEach(e -> e.path("transitions").forEach(t -> rules.add(t.path("ruleId").asText())));
        assertThat(rules).hasSizeGreaterThan(1);
        String shown = browser.findElement(By.id("timeline")).getText();
        rules.forEach(r -> assertThat(shown).contains("by " + r));
        JsonNode first = timeline.path("entries").get(0);
        assertThat(browser.findElement(By.cssSelector("#timeline tr[data-sequence='" + first.path("sequence").asText() + "']")).getText())
                .contains(first.path("summary").asText());
    }

    private void showWith(ChromeDriver browser, String key) {
        browser.get(page.toString());
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("#login button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> "true".equals(b.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    private static void screenshot(ChromeDriver browser) throws Exception {
        browser.executeScript("window.scrollTo(0, 0)");
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1440, (int) height));
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "dashboard.png"), png);
        String docs = System.getProperty("dashboard.screenshot");
        if (docs != null && !docs.isBlank()) {
            Files.write(Path.of(docs), png);
        }
        assertThat(png.length).isGreaterThan(10_000);
    }

    private static long tile(ChromeDriver browser, String stage) {
        return Long.parseLong(browser.findElement(By.cssSelector(".tile[data-stage='" + stage + "'] .n")).getText());
    }

    @SuppressWarnings("unchecked")
    private static List<String> labels(ChromeDriver browser, String chart) {
        return ((List<Object>) browser.executeScript("return Chart.getChart(arguments[0]).data.labels", chart)).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Double> data(ChromeDriver browser, String chart, int dataset) {
        return ((List<Object>) browser.executeScript("return Chart.getChart(arguments[0]).data.datasets[arguments[1]].data", chart, dataset))
                .stream().map(o -> ((Number) o).doubleValue()).toList();
    }

    private static JsonNode api(String path) {
        return E2e.parse(RestAssured.given().header("Authorization", "Bearer " + Api.READ_KEY).get(path).then().statusCode(200).extract().asString());
    }

    private static JsonNode active(JsonNode models, String kind) {
        for (JsonNode m : models.path("models")) {
            if (m.path("kind").asText().equals(kind) && m.path("active").asBoolean()) {
                return m;
            }
        }
        throw new AssertionError("no active " + kind + " model in " + models);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static List<Double> numbers(JsonNode array, String field) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asDouble()));
        return out;
    }
}
