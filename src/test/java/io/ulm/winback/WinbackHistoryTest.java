package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.simulation.DemoWinbackProfile;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imported history into a running service (docs/winback.md "History"). The same five histories are lived twice, in
 * event time on a database of its own whose clock this test moves (DemoWinbackProfile's, after DemoWinbackTest):
 * first as live traffic, message by message with the watermark moving through them; then, once the watermark is at
 * the end, imported (NDJSON, mirrored users with the same arms). Three episodes were over long before the end (one
 * lost, one back by herself, one in the holdout): imported, they are history, recorded with the same event-time
 * outcome and sending nothing. One went AT_RISK the day before the end: imported, she gets what live traffic gave her.
 * One went AT_RISK 9 days before: her reminder is history (due before the watermark − stale-after), her offer is sent.
 */
@QuarkusTest
@TestProfile(DemoWinbackProfile.class)
class WinbackHistoryTest {

    private static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of("projections/winback")).get("winback-default");
    private static final String ARM = "reminder-then-offer";
    private static final Duration DAY = Duration.ofDays(1);

    @Inject
    DataSource db;
    @Inject
    ClockSweep sweep;
    @Inject
    LifecycleClock clock;
    @Inject
    WinbackSteps steps;

    /** One history: a page two days before her last order, that order, and a return (or null). */
    record Story(String role, String arm, Instant lastOrder, Instant returnAt) {
    }

    @Test
    void importedHistorySendsNothingOldAndEndsInTheSameStateAsLiveTraffic() {
        // after DemoWinbackTest (same database) the clock is in 2024: start past it
        Instant watermark = clock.watermark();
        Instant base = (watermark == null ? Instant.parse("2024-01-01T00:00:00Z") : watermark).truncatedTo(ChronoUnit.DAYS)
                .plus(Duration.ofDays(2)).plus(Duration.ofHours(12));
        Instant end = base.plus(Duration.ofDays(100));
        List<Story> stories = List.of(
                new Story("lost", ARM, base.plus(Duration.ofDays(2)), null),                              // AT_RISK day 32
                new Story("back", ARM, base.plus(Duration.ofDays(2)), base.plus(Duration.ofDays(40))),   // back after the offer
                new Story("hold", Assignment.HOLDOUT, base.plus(Duration.ofDays(2)), null),
                new Story("recent", ARM, end.minus(Duration.ofDays(31)), null),                           // AT_RISK a day before the end
                new Story("partial", ARM, end.minus(Duration.ofDays(39)), null));                         // AT_RISK 9 days before
        Map<String, String> live = new LinkedHashMap<>();
        Map<String, String> imported = new LinkedHashMap<>();
        for (Story s : stories) {
            live.put(s.role(), SagaDriver.userIn(POLICY, "live-" + s.role(), s.arm()));
            imported.put(s.role(), SagaDriver.userIn(POLICY, "imp-" + s.role(), s.arm()));
        }

        // live: every message in event-time order, one request each, a heartbeat every three days (and at the end)
        // moving the watermark; after each heartbeat, what the scheduled jobs do (inactivity decided, waits woken) and
        // the saga catching up: every trigger reaches the saga at most three days after it, far less than stale-after
        List<JsonNode> traffic = new ArrayList<>();
        stories.forEach(s -> traffic.addAll(messages(s, live.get(s.role()))));
        String clockUser = SagaDriver.id("clock");
        for (Instant t = base; t.isBefore(end.plus(Duration.ofDays(3))); t = t.plus(Duration.ofDays(3))) {
            Instant tick = t.isAfter(end) ? end : t;
            traffic.add(obj("type", "track", "messageId", SagaDriver.id("m"), "userId", clockUser, "event", "Heartbeat", "timestamp", tick));
        }
        traffic.sort(Comparator.comparing(m -> Instant.parse(m.path("timestamp").asText())));
        for (JsonNode m : traffic) {
            SagaDriver.send(m);
            if (clockUser.equals(m.path("userId").asText())) {
                sweep.sweep();
                steps.sweep(clock.watermark());
                E2e.awaitProcessorAtHead(db, WinbackSaga.PROCESSOR, Duration.ofSeconds(30), 10);
            }
        }
        assertThat(clock.watermark()).isEqualTo(end);
        SagaDriver saga = new SagaDriver(db, steps, clock);
        assertThat(saga.types(live.get("lost"))).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent", "WinbackEnded");
        assertThat(saga.types(live.get("partial"))).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent");
        JsonNode before = results();

        // the same histories imported into the running service: judged against the watermark at the end
        StringBuilder ndjson = new StringBuilder();
        stories.forEach(s -> messages(s, imported.get(s.role())).forEach(m -> ndjson.append(m).append('\n')));
        E2e.Reply reply = E2e.reply(RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY)
                .contentType("application/x-ndjson").body(ndjson.toString().getBytes(StandardCharsets.UTF_8)).post("/v1/import"));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.body().path("decidedUpTo").asText()).isEqualTo(end.toString());
        SagaDriver.await("the imported episodes", () -> imported.values().stream().allMatch(u -> !saga.episodes(u).isEmpty()));
        steps.sweep(clock.watermark());
        E2e.awaitProcessorAtHead(db, WinbackSaga.PROCESSOR, Duration.ofSeconds(30), 10);

        // the same win-back state: episodes (arm, trigger, entry, end, outcome) and the waits still pending
        for (Story s : stories) {
            String l = live.get(s.role());
            String i = imported.get(s.role());
            assertThat(saga.episodes(i)).as(s.role()).hasSize(1);
            assertThat(state(saga, i)).as(s.role()).isEqualTo(state(saga, l));
            assertThat(saga.episodes(l).get(0).get("historic")).as(s.role() + " lived").isEqualTo(false);
        }
        assertThat(saga.outcome(imported.get("lost"))).isEqualTo("LOST");
        assertThat(saga.outcome(imported.get("back"))).isEqualTo("WON_BACK");
        assertThat(saga.outcome(imported.get("hold"))).isEqualTo("LOST");

        // nothing old is sent: the three episodes over at the watermark are history, their steps recorded as skipped
        for (String role : List.of("lost", "back", "hold")) {
            String u = imported.get(role);
            assertThat(saga.episodes(u).get(0).get("historic")).as(role).isEqualTo(true);
            assertThat(saga.types(u)).as(role + ": no outbox row").isEmpty();
        }
        Instant lostEntry = stories.get(0).lastOrder().plus(Duration.ofDays(30));
        assertThat(saga.skipped(imported.get("lost"))).containsExactly("WinbackReminderSent@" + lostEntry,
                "WinbackOfferSent@" + lostEntry.plus(Duration.ofDays(3)));
        assertThat(saga.skipped(imported.get("hold"))).isEmpty();
        // the recent one gets what live traffic gave her: started and the reminder at entry, the offer pending
        assertThat(actions(saga, imported.get("recent"))).isEqualTo(actions(saga, live.get("recent")))
                .containsExactly("WinbackStarted@" + end.minus(DAY), "WinbackReminderSent@" + end.minus(DAY));
        // the partial one: the reminder 9 days late is history, the offer 6 days late is sent
        Instant partialEntry = end.minus(Duration.ofDays(9));
        assertThat(actions(saga, imported.get("partial"))).containsExactly("WinbackStarted@" + partialEntry,
                "WinbackOfferSent@" + partialEntry.plus(Duration.ofDays(3)));
        assertThat(saga.skipped(imported.get("partial"))).containsExactly("WinbackReminderSent@" + partialEntry);

        // the results count history apart: three more historic users, no more entrants, one natural return
        JsonNode after = results();
        assertThat(after.path("historic").asLong() - before.path("historic").asLong()).isEqualTo(3);
        assertThat(after.path("entered").asLong() - before.path("entered").asLong()).as("recent and partial").isEqualTo(2);
        assertThat(arm(after, ARM, "historic") - arm(before, ARM, "historic")).isEqualTo(2);
        assertThat(arm(after, ARM, "historicReturned") - arm(before, ARM, "historicReturned")).isEqualTo(1);
        assertThat(arm(after, Assignment.HOLDOUT, "historic") - arm(before, Assignment.HOLDOUT, "historic")).isEqualTo(1);
        assertThat(arm(after, ARM, "skipped") - arm(before, ARM, "skipped")).as("partial's reminder").isEqualTo(1);
        assertThat(arm(after, ARM, "offers") - arm(before, ARM, "offers")).as("partial's offer only").isEqualTo(1);

        // and the timelines: the trigger carries the historic episode; the return message credits it, as history
        JsonNode lost = winbackEntry(imported.get("lost"), "StageChanged");
        assertThat(lost.path("historic").asBoolean()).isTrue();
        assertThat(lost.path("outcome").asText()).isEqualTo("LOST");
        assertThat(E2e.instant(lost, "enteredAt")).isEqualTo(lostEntry);
        JsonNode back = winbackEntry(imported.get("back"), "ActivityRecorded");
        assertThat(back.path("historic").asBoolean()).isTrue();
        assertThat(back.path("outcome").asText()).isEqualTo("WON_BACK");
        assertThat(E2e.instant(back, "returnedAt")).isEqualTo(stories.get(1).returnAt());
        assertThat(winbackEntry(live.get("back"), "ActivityRecorded").path("historic").asBoolean()).isFalse();
    }

    private static List<JsonNode> messages(Story s, String user) {
        List<JsonNode> out = new ArrayList<>();
        out.add(obj("type", "page", "messageId", SagaDriver.id("m"), "userId", user, "name", "Home", "timestamp",
                s.lastOrder().minus(Duration.ofDays(2))));
        out.add(obj("type", "track", "messageId", SagaDriver.id("m"), "userId", user, "event", "Order Completed",
                "timestamp", s.lastOrder(), "properties", obj("revenue", 50, "currency", "EUR",
                        "products", arr(obj("product_id", "sku-1", "price", 50)))));
        if (s.returnAt() != null) {
            out.add(obj("type", "page", "messageId", SagaDriver.id("m"), "userId", user, "name", "Back", "timestamp", s.returnAt()));
        }
        return out;
    }

    /** What must not depend on how the history arrived: her episodes and the wait still pending. */
    private List<String> state(SagaDriver saga, String user) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> e : saga.episodes(user)) {
            out.add(e.get("campaign_id") + " " + e.get("arm") + " " + e.get("trigger") + " " + E2e.instantAt(e, "entered_at") + " "
                    + (e.get("ended_at") == null ? "running" : E2e.instantAt(e, "ended_at") + " " + e.get("outcome"))
                    + (e.get("return_message_id") == null ? "" : " returned"));
        }
        E2e.rows(db, "SELECT step, due_at FROM winback_step WHERE user_id = ?", user)
                .forEach(r -> out.add("step " + r.get("step") + " due " + E2e.instantAt(r, "due_at")));
        return out;
    }

    /** Her outbox actions as "type@at" (the user id differs between the two worlds, nothing else may). */
    private static List<String> actions(SagaDriver saga, String user) {
        return saga.actions(user).stream().map(a -> a.path("type").asText() + "@" + E2e.instant(a, "at")).toList();
    }

    private static JsonNode results() {
        E2e.Reply r = E2e.get(Api.READ_KEY, "/v1/winback/campaigns/winback-default/results");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static long arm(JsonNode results, String arm, String field) {
        Map<String, JsonNode> arms = new HashMap<>();
        results.path("arms").forEach(a -> arms.put(a.path("arm").asText(), a));
        return arms.get(arm).path(field).asLong();
    }

    /** The {@code winback} of her timeline's entry of this type that carries one. */
    private static JsonNode winbackEntry(String user, String type) {
        JsonNode found = null;
        for (JsonNode e : E2e.get(Api.READ_KEY, "/v1/users/" + user + "/timeline").body().path("entries")) {
            if (type.equals(e.path("type").asText()) && e.has("winback")) {
                found = e.path("winback");
            }
        }
        assertThat(found).as(type + " with a win-back episode in the timeline of " + user).isNotNull();
        return found;
    }
}
