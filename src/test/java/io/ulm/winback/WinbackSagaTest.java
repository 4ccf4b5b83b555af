package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.platform.AxonRuntime;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The win-back saga end to end, through the REST API in event time (the technique of AsOfProfileTest: a message of
 * "now" for another user moves the shared clock): entry and arm, the reminder in the outbox once, WON_BACK on a
 * purchase in the window, LOST after the last step, no saga and no action from a projection replay or from events
 * delivered to the saga again.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class WinbackSagaTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Instant NOON = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
    private static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of("projections/winback")).get("winback-default");
    private static final String ARM = "reminder-then-offer";

    @Inject
    DataSource db;
    @Inject
    WinbackSteps steps;
    @Inject
    LifecycleClock clock;
    @Inject
    AxonRuntime axon;

    private static String id(String what) {
        return "wb-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    /** A fresh user id that the policy's hash puts in {@code arm}. */
    private static String userIn(String what, String arm) {
        while (true) {
            String user = id(what);
            if (POLICY.assign(user).arm().equals(arm)) {
                return user;
            }
        }
    }

    private static Instant day(int daysAgo) {
        return NOON.minus(Duration.ofDays(daysAgo));
    }

    private static Instant now() {
        return Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    }

    /** A customer (one page, one 50 EUR order at {@code lastOrder}) and a message of now that decides up to now. */
    private void customer(String user, Instant lastOrder) {
        send(obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", lastOrder.minus(Duration.ofDays(2))),
                obj("type", "track", "messageId", id("m"), "userId", user, "event", "Order Completed", "timestamp", lastOrder,
                        "properties", obj("revenue", 50, "currency", "EUR", "products", arr(obj("product_id", "sku-1", "price", 50)))),
                obj("type", "track", "messageId", id("m"), "userId", id("clock"), "event", "Heartbeat", "timestamp", now()));
    }

    private static void send(JsonNode... messages) {
        ArrayNode batch = arr();
        for (JsonNode m : messages) {
            batch.add(m);
        }
        E2e.Reply r = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", batch));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    private List<JsonNode> actions(String user) {
        return E2e.rows(db, "SELECT payload::text AS p FROM outbox WHERE msg_key = ? ORDER BY id", user).stream()
                .map(row -> E2e.parse((String) row.get("p"))).toList();
    }

    private List<String> types(String user) {
        return actions(user).stream().map(a -> a.path("type").asText()).toList();
    }

    private static void await(String what, BooleanSupplier done) {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(until);
            E2e.sleep(100);
        }
    }

    private String outcome(String user) {
        List<Map<String, Object>> rows = E2e.rows(db, "SELECT outcome FROM winback_entry WHERE user_id = ?", user);
        return rows.isEmpty() ? null : (String) rows.get(0).get("outcome");
    }

    @Test
    void atRiskCustomerGetsOneReminderThenIsWonBackByAPurchase() {
        String ada = userIn("ada", ARM);
        customer(ada, day(31));   // AT_RISK 30 days later: yesterday noon; the first wait ends in 2 days
        await("ada's reminder", () -> types(ada).contains("WinbackReminderSent"));
        List<JsonNode> actions = actions(ada);
        assertThat(types(ada)).containsExactly("WinbackStarted", "WinbackReminderSent");
        JsonNode started = actions.get(0);
        assertThat(started.path("arm").asText()).isEqualTo(POLICY.assign(ada).arm()).isEqualTo(ARM);
        assertThat(E2e.instant(started, "at")).isEqualTo(day(1));
        assertThat(started.path("clv").asDouble()).isEqualTo(50.0);
        assertThat(actions.get(1).path("items").isArray()).isTrue();
        assertThat(E2e.rows(db, "SELECT step, due_at FROM winback_step WHERE user_id = ?", ada))
                .singleElement().satisfies(r -> assertThat(E2e.instantAt(r, "due_at")).isEqualTo(day(1).plus(Duration.ofDays(3))));
        // sweeping now wakes nothing: her next step is due in event time, days ahead
        steps.sweep(clock.watermark());
        assertThat(types(ada)).containsExactly("WinbackStarted", "WinbackReminderSent");

        // she buys again inside the window: WON_BACK, and nothing left to wake
        String returnId = id("m");
        Instant returnAt = now();
        send(obj("type", "track", "messageId", returnId, "userId", ada, "event", "Order Completed", "timestamp", returnAt,
                "properties", obj("revenue", 20, "currency", "EUR")));
        await("ada won back", () -> "WON_BACK".equals(outcome(ada)));
        assertThat(types(ada)).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackEnded");
        assertThat(actions(ada).get(2).path("outcome").asText()).isEqualTo("WON_BACK");
        assertThat(actions(ada).get(2).path("returnMessageId").asText()).isEqualTo(returnId);
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_step WHERE user_id = ?", ada)).isZero();

        // the same message made her REACTIVATED (then MONETIZED: a purchase starts her new life), and her timeline
        // credits the campaign and arm with it, in event time
        JsonNode returned = null;
        for (JsonNode entry : E2e.get(Api.READ_KEY, "/v1/users/" + ada + "/timeline").body().path("entries")) {
            if (returnId.equals(entry.path("messageId").asText()) && "ActivityRecorded".equals(entry.path("type").asText())) {
                returned = entry;
            }
        }
        assertThat(returned).isNotNull();
        assertThat(returned.path("winback").path("campaignId").asText()).isEqualTo("winback-default");
        assertThat(returned.path("winback").path("arm").asText()).isEqualTo(ARM);
        assertThat(returned.path("winback").path("outcome").asText()).isEqualTo("WON_BACK");
        assertThat(E2e.instant(returned.path("winback"), "returnedAt")).isEqualTo(returnAt);
        assertThat(E2e.instant(returned.path("winback"), "enteredAt")).isEqualTo(day(1));
        assertThat(returned.path("transitions").findValuesAsText("to")).containsExactly("REACTIVATED", "MONETIZED");
        assertThat(returned.path("transitions").get(0).path("from").asText()).isEqualTo("AT_RISK");

        // without Kafka the actions stay readable, unsent, through the admin API (and only there)
        E2e.Reply r = E2e.get(Api.ADMIN_KEY, "/v1/admin/winback/actions?userId=" + ada);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("actions")).hasSize(3);
        assertThat(r.body().path("actions").get(1).path("payload").path("type").asText()).isEqualTo("WinbackReminderSent");
        assertThat(r.body().path("actions").get(1).path("sentAt").isNull()).isTrue();
        assertThat(E2e.get(Api.READ_KEY, "/v1/admin/winback/actions").status()).isEqualTo(403);
    }

    @Test
    void withoutReturnSheIsLostAfterTheLastStep() {
        String bob = userIn("bob", ARM);
        customer(bob, day(31));   // AT_RISK yesterday; her offer and the window's end are ahead in event time
        await("bob's reminder", () -> types(bob).contains("WinbackReminderSent"));
        SagaDriver.wakeUntilEnded(steps, db, bob);   // event time moves on for her alone: the offer, then the window's end
        assertThat(outcome(bob)).isEqualTo("LOST");
        List<JsonNode> actions = actions(bob);
        assertThat(types(bob)).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent", "WinbackEnded");
        assertThat(actions.get(2).path("tier").asText()).as("CLV 50: neither gold nor silver").isEqualTo("standard");
        assertThat(E2e.instant(actions.get(2), "at")).isEqualTo(day(1).plus(Duration.ofDays(3)));
        assertThat(E2e.instant(actions.get(3), "at")).isEqualTo(POLICY.windowEnd(day(1)));
    }

    @Test
    void anEpisodeOverBeforeTheWatermarkIsHistoryAndSendsNothing() {
        // AT_RISK at day 30, delivered today (as an import or a late batch would): her window ended 16 days before the
        // watermark, so the episode is recorded with its event-time outcome and nothing is sent
        String old = userIn("old", ARM);
        customer(old, day(60));
        await("old's episode", () -> outcome(old) != null);
        Map<String, Object> episode = E2e.rows(db, "SELECT * FROM winback_entry WHERE user_id = ?", old).get(0);
        assertThat(episode.get("outcome")).isEqualTo("LOST");
        assertThat(episode.get("historic")).isEqualTo(true);
        assertThat(E2e.instantAt(episode, "ended_at")).isEqualTo(POLICY.windowEnd(day(30)));
        assertThat(E2e.instantAt(episode, "judged_at")).isAfterOrEqualTo(day(0).minus(Duration.ofDays(1)));
        assertThat(types(old)).as("nothing in the outbox").isEmpty();
        assertThat(E2e.rows(db, "SELECT step, type, at FROM winback_skipped WHERE user_id = ? ORDER BY step", old))
                .extracting(r -> r.get("type") + "@" + E2e.instantAt(r, "at"))
                .containsExactly("WinbackReminderSent@" + day(30), "WinbackOfferSent@" + day(30).plus(Duration.ofDays(3)));
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_step WHERE user_id = ?", old)).isZero();
    }

    @Test
    void aReturnAfterTheOfferIsWonBackWithBothSteps() {
        String dee = userIn("dee", ARM);
        customer(dee, day(35));   // AT_RISK 5 days ago: the offer was due 2 days ago, the window ends in 9 days
        await("dee's offer", () -> {
            steps.sweep(clock.watermark());
            return types(dee).contains("WinbackOfferSent");
        });
        assertThat(outcome(dee)).isNull();
        assertThat(E2e.instant(actions(dee).get(2), "at")).isEqualTo(day(2));
        send(obj("type", "page", "messageId", id("m"), "userId", dee, "name", "Offer", "timestamp", now()));
        await("dee won back", () -> "WON_BACK".equals(outcome(dee)));
        assertThat(types(dee)).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent", "WinbackEnded");
        steps.sweep(clock.watermark());
        assertThat(types(dee)).as("nothing after the end").hasSize(4);
    }

    @Test
    void aReturnAfterADueStepSendsThatStepFirstInEventTime() {
        String gil = userIn("gil", ARM);
        customer(gil, day(35));   // AT_RISK 5 days ago: the offer's wake-up (2 days ago) is due, not necessarily swept
        await("gil's reminder", () -> types(gil).contains("WinbackReminderSent"));
        send(obj("type", "page", "messageId", id("m"), "userId", gil, "name", "Back", "timestamp", now()));
        await("gil won back", () -> "WON_BACK".equals(outcome(gil)));
        // whether the wake-up or her return reached the saga first, the offer due before her return went out, at its time
        assertThat(types(gil)).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent", "WinbackEnded");
        assertThat(E2e.instant(actions(gil).get(2), "at")).isEqualTo(day(2));
        steps.sweep(clock.watermark());
        assertThat(types(gil)).hasSize(4);
    }

    @Test
    void anErasedUserIsSuppressed() {
        // erasure destroys her personal-data key (decision 0005); there is no erasure endpoint yet, so the key is
        // destroyed here as it will do, and the saga's hook (WinbackStore.erased) must keep her out
        String eve = userIn("eve", ARM);
        send(obj("type", "identify", "messageId", id("m"), "userId", eve, "timestamp", day(40),
                "traits", obj("email", eve + "@example.com")));
        assertThat(E2e.count(db, "SELECT count(*) FROM keyvault.user_key WHERE user_id = ?", eve)).isEqualTo(1);
        try (var c = db.getConnection(); var ps = c.prepareStatement("UPDATE keyvault.user_key SET destroyed_at = now() WHERE user_id = ?")) {
            ps.setString(1, eve);
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        String control = userIn("eve-control", ARM);
        customer(eve, day(31));
        customer(control, day(31));
        await("the control's entry", () -> types(control).contains("WinbackStarted"));
        E2e.awaitProfile(Api.READ_KEY, eve, p -> "AT_RISK".equals(p.path("stage").asText()));
        E2e.sleep(300);
        assertThat(types(eve)).as("erased: no episode, no action").isEmpty();
        assertThat(outcome(eve)).isNull();
    }

    @Test
    void holdoutAndIneligibleUsersGetNoAction() {
        String holdout = userIn("hold", Assignment.HOLDOUT);
        String poor = userIn("poor", ARM);
        String unsubscribed = userIn("unsub", ARM);
        send(obj("type", "identify", "messageId", id("m"), "userId", unsubscribed, "timestamp", day(40),
                "traits", obj("unsubscribed", true)));
        customer(unsubscribed, day(31));
        customer(holdout, day(31));
        send(obj("type", "track", "messageId", id("m"), "userId", poor, "event", "Product Viewed", "timestamp", day(31)),
                obj("type", "track", "messageId", id("m"), "userId", id("clock"), "event", "Heartbeat", "timestamp", now()));
        await("the holdout's entry", () -> types(holdout).contains("WinbackStarted"));
        assertThat(types(holdout)).containsExactly("WinbackStarted");
        E2e.awaitProfile(Api.READ_KEY, poor, p -> "AT_RISK".equals(p.path("stage").asText()));
        E2e.sleep(500);
        assertThat(types(poor)).as("CLV 0 < minClv 20").isEmpty();
        E2e.awaitProfile(Api.READ_KEY, unsubscribed, p -> "AT_RISK".equals(p.path("stage").asText()));
        assertThat(types(unsubscribed)).as("trait unsubscribed").isEmpty();
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_entry WHERE user_id IN (?, ?)", poor, unsubscribed)).isZero();
    }

    @Test
    void projectionReplayAndRedeliveryStartNoSagaAndSendNothing() throws Exception {
        String cid = userIn("cid", ARM);
        long before = E2e.count(db, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
        customer(cid, day(31));
        await("cid's reminder", () -> types(cid).contains("WinbackReminderSent"));
        SagaDriver.wakeUntilEnded(steps, db, cid);
        assertThat(types(cid)).containsExactly("WinbackStarted", "WinbackReminderSent", "WinbackOfferSent", "WinbackEnded");
        List<String> done = types(cid);
        long outbox = E2e.count(db, "SELECT count(*) FROM outbox");
        long entries = E2e.count(db, "SELECT count(*) FROM winback_entry");

        // a projection replay: the saga's processor is not a projection and is not reset
        assertThat(E2e.post(Api.ADMIN_KEY, "/v1/admin/projections/user-profile/replay", obj()).status()).isBetween(200, 299);
        E2e.sleep(1000);
        await("the replay", () -> {
            JsonNode p = E2e.get(Api.ADMIN_KEY, "/v1/admin/projections/user-profile").body();
            return p.path("lag").asLong(1) <= 0 && !p.path("replaying").asBoolean(true);
        });
        assertThat(E2e.count(db, "SELECT count(*) FROM outbox")).isEqualTo(outbox);
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_entry")).isEqualTo(entries);

        // every event since cid's first delivered to the saga again (its token moved back, as after a crash)
        EventProcessor saga = axon.configuration().eventProcessingConfiguration().eventProcessor(WinbackSaga.PROCESSOR).orElseThrow();
        saga.shutDown();
        List<Map<String, Object>> token = E2e.rows(db, "SELECT segment, convert_from(token, 'UTF8') AS t FROM token_entry WHERE processor_name = ?",
                WinbackSaga.PROCESSOR);
        long head = E2e.count(db, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
        for (Map<String, Object> row : token) {
            String rewound = ((String) row.get("t")).replaceFirst("\"index\"\\s*:\\s*\\d+", "\"index\":" + before);
            assertThat(rewound).contains("\"index\":" + before);
            try (var c = db.getConnection(); var ps = c.prepareStatement(
                    "UPDATE token_entry SET token = ? WHERE processor_name = ? AND segment = ?")) {
                ps.setBytes(1, rewound.getBytes(StandardCharsets.UTF_8));
                ps.setString(2, WinbackSaga.PROCESSOR);
                ps.setInt(3, ((Number) row.get("segment")).intValue());
                ps.executeUpdate();
            }
        }
        saga.start();
        await("the saga processor past the head again", () -> E2e.rows(db,
                "SELECT convert_from(token, 'UTF8') AS t FROM token_entry WHERE processor_name = ?", WinbackSaga.PROCESSOR).stream()
                .allMatch(r -> globalIndex((String) r.get("t")) >= head));
        steps.sweep(clock.watermark());
        E2e.sleep(300);
        assertThat(types(cid)).isEqualTo(done);
        assertThat(E2e.count(db, "SELECT count(*) FROM outbox")).isEqualTo(outbox);
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_entry")).isEqualTo(entries);
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_saga WHERE serialized_saga IS NOT NULL AND convert_from(serialized_saga, 'UTF8') LIKE ?",
                "%" + cid + "%")).as("no saga of cid left running").isZero();
    }

    private static long globalIndex(String token) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"index\"\\s*:\\s*(\\d+)").matcher(token == null ? "" : token);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
