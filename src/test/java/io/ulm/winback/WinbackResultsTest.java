package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.ulm.winback.SagaDriver.day;
import static io.ulm.winback.SagaDriver.now;
import static io.ulm.winback.SagaDriver.order;
import static io.ulm.winback.SagaDriver.send;
import static io.ulm.winback.SagaDriver.userIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /v1/winback/campaigns/{id}/results} on real sagas (campaign {@code results-test}, only this profile runs
 * it): two holdout users (one returns, one is lost), three treated (one returns and buys twice, one is lost, one is
 * still running); the counts, rates, revenue after the return, and the uplift with its Newcombe interval. Two more
 * treated users' episodes were over before the watermark when the saga saw them (history): counted apart, in no rate.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(WinbackCampaignsProfile.class)
class WinbackResultsTest {

    static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of(WinbackCampaignsProfile.DIRECTORY)).get("results-test");

    @Inject
    DataSource db;
    @Inject
    WinbackSteps steps;
    @Inject
    LifecycleClock clock;

    @Test
    void perArmCountsRevenueAndUpliftAgainstTheHoldout() {
        SagaDriver saga = new SagaDriver(db, steps, clock);
        String h1 = userIn(POLICY, "h1", Assignment.HOLDOUT);
        String h2 = userIn(POLICY, "h2", Assignment.HOLDOUT);
        String a1 = userIn(POLICY, "a1", "nudge");
        String a2 = userIn(POLICY, "a2", "nudge");
        String a3 = userIn(POLICY, "a3", "nudge");
        saga.customer(h1, day(31), 5000);   // AT_RISK yesterday: her window is open
        saga.customer(a1, day(31), 5000);
        saga.customer(a3, day(31), 5000);
        saga.customer(h2, day(31), 5000);
        saga.customer(a2, day(31), 5000);
        // history: AT_RISK 30 days ago, one back at day 25 (inside her window), one never; both over at the watermark
        String old1 = userIn(POLICY, "old1", "nudge");
        String old2 = userIn(POLICY, "old2", "nudge");
        send(order(old1, day(60), 5000), SagaDriver.clockTick());
        send(order(old2, day(60), 5000), order(old2, day(25), 5), SagaDriver.clockTick());
        for (String u : new String[]{h1, h2, a1, a2, a3}) {
            SagaDriver.await("the entry of " + u, () -> saga.types(u).contains("WinbackStarted"));
        }
        SagaDriver.await("the historic episodes", () -> saga.outcome(old1) != null && saga.outcome(old2) != null);
        saga.wakeUntilEnded(h2);   // their windows end in event time (for them alone): LOST, a2 after her offer
        saga.wakeUntilEnded(a2);
        send(order(h1, now(), 30));
        send(order(a1, now(), 40));
        SagaDriver.await("the returns", () -> "WON_BACK".equals(saga.outcome(h1)) && "WON_BACK".equals(saga.outcome(a1)));
        send(order(a1, now(), 10));   // after her return, inside the window: revenue, not a second return

        JsonNode results = E2e.get(Api.READ_KEY, "/v1/winback/campaigns/results-test/results").body();
        assertThat(results.path("campaignId").asText()).isEqualTo("results-test");
        assertThat(results.path("window").asText()).isEqualTo("P14D");
        assertThat(results.path("entered").asLong()).isEqualTo(5);
        assertThat(results.path("historic").asLong()).isEqualTo(2);
        Map<String, JsonNode> arms = new HashMap<>();
        results.path("arms").forEach(a -> arms.put(a.path("arm").asText(), a));
        assertThat(results.path("arms").get(0).path("arm").asText()).isEqualTo("holdout");

        JsonNode holdout = arms.get("holdout");
        assertThat(holdout.path("entered").asLong()).isEqualTo(2);
        assertThat(holdout.path("decided").asLong()).isEqualTo(2);
        assertThat(holdout.path("messaged").asLong()).isZero();
        assertThat(holdout.path("returned").asLong()).isEqualTo(1);
        assertThat(holdout.path("returnRate").asDouble()).isEqualTo(0.5);
        assertThat(holdout.path("revenueAfterReturn").decimalValue()).isEqualByComparingTo("30");
        assertThat(holdout.path("uplift").isNull()).isTrue();
        assertThat(holdout.path("historic").asLong()).isZero();

        JsonNode nudge = arms.get("nudge");
        assertThat(nudge.path("entered").asLong()).isEqualTo(3);
        assertThat(nudge.path("running").asLong()).as("a3's window is still open").isEqualTo(1);
        assertThat(nudge.path("decided").asLong()).isEqualTo(2);
        assertThat(nudge.path("messaged").asLong()).isEqualTo(3);
        assertThat(nudge.path("reminders").asLong()).isEqualTo(3);
        assertThat(nudge.path("offers").asLong()).as("only a2 reached the offer").isEqualTo(1);
        assertThat(nudge.path("returned").asLong()).as("a1 credited once").isEqualTo(1);
        assertThat(nudge.path("returnRate").asDouble()).isEqualTo(0.5);
        assertThat(nudge.path("revenueAfterReturn").decimalValue()).as("40 + 10 after her return; her first order before entry not")
                .isEqualByComparingTo("50");
        assertThat(nudge.path("revenuePerDecided").asDouble()).isEqualTo(25.0);
        assertThat(nudge.path("historic").asLong()).as("old1 and old2: not entered, decided nor messaged").isEqualTo(2);
        assertThat(nudge.path("historicReturned").asLong()).as("old2, back by herself: nothing was sent").isEqualTo(1);
        assertThat(nudge.path("skipped").asLong()).isZero();
        assertThat(saga.types(old1)).isEmpty();
        assertThat(saga.types(old2)).isEmpty();
        UpliftStats.Interval ci = UpliftStats.newcombe(1, 2, 1, 2, UpliftStats.quantile(0.95));
        JsonNode uplift = nudge.path("uplift");
        assertThat(uplift.path("difference").asDouble()).isEqualTo(0.0);
        assertThat(uplift.path("ciLow").asDouble()).isCloseTo(ci.low(), within(1e-12));
        assertThat(uplift.path("ciHigh").asDouble()).isCloseTo(ci.high(), within(1e-12));
        assertThat(ci.low()).isLessThan(-0.4);
        assertThat(uplift.path("significant").asBoolean()).isFalse();

        // a 90 % interval is narrower; bad input and unknown campaigns are problems naming what is wrong
        JsonNode narrow = E2e.get(Api.READ_KEY, "/v1/winback/campaigns/results-test/results?confidence=0.9").body();
        assertThat(narrow.path("arms").get(1).path("uplift").path("ciLow").asDouble()).isGreaterThan(ci.low());
        E2e.Reply bad = E2e.get(Api.READ_KEY, "/v1/winback/campaigns/results-test/results?confidence=95");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("parameter").asText()).isEqualTo("confidence");
        E2e.Reply unknown = E2e.get(Api.READ_KEY, "/v1/winback/campaigns/spring-sale/results");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("type").asText()).isEqualTo("/problems/unknown-campaign");
        assertThat(unknown.body().path("campaign").asText()).isEqualTo("spring-sale");
        assertThat(E2e.get(null, "/v1/winback/campaigns/results-test/results").status()).isEqualTo(401);
    }

    @Test
    void listsTheLoadedCampaigns() {
        JsonNode list = E2e.get(Api.READ_KEY, "/v1/winback/campaigns").body();
        JsonNode results = null;
        for (JsonNode c : list.path("campaigns")) {
            if (c.path("campaignId").asText().equals("results-test")) {
                results = c;
            }
        }
        assertThat(results).as(list.toString()).isNotNull();
        assertThat(results.path("live").asBoolean()).isTrue();
        assertThat(results.path("holdout").asDouble()).isEqualTo(0.5);
        assertThat(results.path("window").asText()).isEqualTo("P14D");
        assertThat(E2e.texts(results.path("arms").get(0).path("steps"))).containsExactly("reminder(3)", "wait P3D", "offer", "wait P7D");
    }
}
