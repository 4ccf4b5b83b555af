package io.ulm.winback;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.lifecycle.api.RecordChurnRisk;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.ulm.support.E2e.obj;
import static io.ulm.winback.SagaDriver.clockTick;
import static io.ulm.winback.SagaDriver.day;
import static io.ulm.winback.SagaDriver.id;
import static io.ulm.winback.SagaDriver.order;
import static io.ulm.winback.SagaDriver.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two live campaigns (WinbackCampaignsProfile): a trigger enters the first campaign she is eligible for; one running
 * win-back per user across campaigns; the cooldown counts from her last episode of any campaign.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(WinbackCampaignsProfile.class)
class WinbackCampaignsTest {

    private static final Map<String, WinbackPolicy> POLICIES = WinbackPolicies.load(Path.of(WinbackCampaignsProfile.DIRECTORY));

    @Inject
    DataSource db;
    @Inject
    WinbackSteps steps;
    @Inject
    LifecycleClock clock;
    @Inject
    LifecycleCommands commands;

    private static com.fasterxml.jackson.databind.JsonNode page(String user, Instant at) {
        return obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", at);
    }

    private List<String> campaigns(SagaDriver saga, String user) {
        return saga.episodes(user).stream().map(r -> (String) r.get("campaign_id")).toList();
    }

    @Test
    void theFirstEligibleCampaignWinsAndOneRunsAtATime() {
        SagaDriver saga = new SagaDriver(db, steps, clock);
        String rich = id("rich");
        String cheap = id("cheap");
        saga.customer(rich, day(31), 50);   // CLV 50: not results-test (minClv 5000), vip-test (minClv 40) is next
        saga.customer(cheap, day(31), 10);  // CLV 10: neither, so second-test
        SagaDriver.await("both entries", () -> saga.episodes(rich).size() == 1 && saga.episodes(cheap).size() == 1);
        assertThat(campaigns(saga, rich)).containsExactly("vip-test");
        assertThat(campaigns(saga, cheap)).containsExactly("second-test");
        assertThat(saga.episodes(cheap).get(0).get("arm")).isEqualTo(POLICIES.get("second-test").assign(cheap).arm());

        // churn risk raised for both: second-test starts on it, but rich's vip-test episode is running (one at a time)
        String fresh = id("fresh");
        saga.customer(fresh, day(10), 10);   // active, no episode yet
        Instant at = clock.watermark();
        QuarkusTransaction.requiringNew().run(() -> commands.send(new java.util.TreeMap<>(Map.of(
                rich, new RecordChurnRisk(rich, 0.9, 0.5, 1, 1, at, Map.of()),
                fresh, new RecordChurnRisk(fresh, 0.9, 0.5, 1, 1, at, Map.of())))));
        SagaDriver.await("fresh's entry on churn risk", () -> saga.episodes(fresh).size() == 1);
        assertThat(campaigns(saga, fresh)).containsExactly("second-test");
        assertThat(saga.episodes(fresh).get(0).get("trigger")).isEqualTo("CHURN_RISK_RAISED");
        E2e.sleep(500);
        assertThat(campaigns(saga, rich)).as("her running episode holds the cap").containsExactly("vip-test");
        assertThat(saga.episodes(rich).get(0).get("ended_at")).isNull();
    }

    @Test
    void theCooldownCountsFromHerLastEpisodeOfAnyCampaign() {
        SagaDriver saga = new SagaDriver(db, steps, clock);
        // AT_RISK at day 70, back at day 60 (inside the window), AT_RISK again at day 30: 30 days after her episode
        // ended, inside both campaigns' 45-day cooldown
        String again = SagaDriver.userIn(POLICIES.get("vip-test"), "again", "nudge");
        send(page(again, day(102)), order(again, day(100), 50), page(again, day(60)), clockTick());
        // AT_RISK at day 130, back at day 125, active at day 110, AT_RISK again at day 80: 45 days after: enters again
        String later = id("later");
        send(page(later, day(162)), order(later, day(160), 50), page(later, day(125)), page(later, day(110)), clockTick());
        SagaDriver.await("later's second episode", () -> saga.episodes(later).size() == 2);

        List<Map<String, Object>> first = saga.episodes(again);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("outcome")).isEqualTo("WON_BACK");
        assertThat(E2e.instantAt(first.get(0), "entered_at")).isEqualTo(day(70));
        assertThat(E2e.instantAt(first.get(0), "ended_at")).isEqualTo(day(60));
        assertThat(first.get(0).get("return_message_id")).isNotNull();
        // all of it is history (delivered today, over long before the watermark): the steps due before her return in
        // event time ran as at their times (reminder at day 70, offer at day 67), recorded and not sent; the historic
        // episode holds the cap and the cooldown all the same, as it would have had it been live
        assertThat(first.get(0).get("historic")).isEqualTo(true);
        assertThat(saga.types(again)).isEmpty();
        assertThat(saga.skipped(again)).containsExactly("WinbackReminderSent@" + day(70), "WinbackOfferSent@" + day(67));

        List<Map<String, Object>> episodes = saga.episodes(later);
        assertThat(E2e.instantAt(episodes.get(0), "ended_at")).isEqualTo(day(125));
        assertThat(E2e.instantAt(episodes.get(1), "entered_at")).isEqualTo(day(80));
        assertThat(campaigns(saga, later)).containsExactly("vip-test", "vip-test");
        SagaDriver.await("later's second outcome", () -> saga.episodes(later).get(1).get("outcome") != null);
        assertThat(saga.episodes(later).get(1).get("outcome")).isEqualTo("LOST");
        assertThat(E2e.instantAt(saga.episodes(later).get(1), "ended_at")).isEqualTo(day(66));
        assertThat(episodes).allSatisfy(e -> assertThat(e.get("historic")).isEqualTo(true));
        assertThat(saga.types(later)).isEmpty();
    }
}
