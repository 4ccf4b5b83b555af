package io.ulm.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.lifecycle.api.AdvanceLifecycleClock;
import io.ulm.lifecycle.api.LifecycleDecision;
import io.ulm.model.TrainingLog;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.winback.WinbackPolicies;
import io.ulm.winback.WinbackPolicy;
import io.ulm.winback.WinbackSteps;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure end to end on a simulated shop (issue 8): a customer with personal traits, a personal property on her
 * anonymous history, segments, a churn score and a running win-back episode is erased; afterwards no table of any
 * schema holds her personal values, the replay audit finds no difference, report counts are unchanged, her saga sends
 * nothing more, training and ingestion skip her, and her aggregate still loads.
 */
@QuarkusTest
@TestProfile(PrivacyProfile.class)
class ErasureTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of("projections/winback")).get("winback-default");
    private static final String ARM = "reminder-then-offer";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Inject
    DataSource db;
    @Inject
    WinbackSteps steps;
    @Inject
    TrainingLog trainingLog;
    @Inject
    LifecycleCommands lifecycle;
    @Inject
    ClockSweep sweep;

    private static String erin() {
        for (int i = 0; ; i++) {
            String user = "erin-" + RUN + "-" + i;
            if (POLICY.assign(user).arm().equals(ARM)) {
                return user;
            }
        }
    }

    @Test
    void erasureLeavesNoPersonalValueAnywhereAndKeepsTheLogConsistent() throws Exception {
        SimulatedShop.load(sweep);
        String erin = erin();
        String anonymousId = "device-" + RUN;
        String email = "erin." + RUN + "@example.org";
        String name = "Erin Quaxley-" + RUN;
        String phone = "+44 7700 " + RUN;
        String anonEmail = "guest." + RUN + "@example.net";
        String plan = "plan-" + RUN;   // not personal: stays readable, and shows the scan reads event payloads

        send(obj("type", "page", "messageId", "e-" + RUN + "-0", "anonymousId", anonymousId, "name", "Landing",
                "timestamp", NOW.minus(Duration.ofDays(40)), "properties", obj("email", anonEmail, "path", "/")));
        send(obj("type", "identify", "messageId", "e-" + RUN + "-1", "userId", erin, "anonymousId", anonymousId,
                        "timestamp", NOW.minus(Duration.ofDays(35)), "traits", obj("email", email, "name", name, "phone", phone, "plan", plan)),
                obj("type", "page", "messageId", "e-" + RUN + "-2", "userId", erin, "name", "Home", "timestamp", NOW.minus(Duration.ofDays(33))),
                obj("type", "track", "messageId", "e-" + RUN + "-3", "userId", erin, "event", "Order Completed",
                        "timestamp", NOW.minus(Duration.ofDays(31)), "properties", obj("revenue", 50, "currency", "EUR",
                                "products", arr(obj("product_id", "sim-item-1", "price", 50)))),
                obj("type", "track", "messageId", "e-" + RUN + "-4", "userId", "clock-" + RUN, "event", "Heartbeat", "timestamp", NOW));
        await("her win-back reminder", () -> count("SELECT count(*) FROM outbox WHERE msg_key = ? AND payload->>'type' = 'WinbackReminderSent'", erin) == 1);
        Instant nextStep = E2e.instantAt(E2e.rows(db, "SELECT due_at FROM winback_step WHERE user_id = ?", erin).get(0), "due_at");
        Api.admin().post("/v1/admin/segments/evaluate").then().statusCode(200);
        Api.admin().post("/v1/admin/churn/score").then().statusCode(200);
        SimulatedShop.awaitProjections();

        // before: the scan sees plain values in event payloads and read models; personal ones were encrypted at ingestion
        assertThat(TableScan.find(db, plan)).containsKeys("public.domain_event_entry", "public.user_trait");
        for (String personal : List.of(email, name, phone, anonEmail)) {
            assertThat(TableScan.find(db, personal)).as(personal + " is stored encrypted only").isEmpty();
        }
        JsonNode before = export(erin);
        assertThat(before.path("traits").path("email").asText()).isEqualTo(email);
        assertThat(before.path("traits").path("phone").asText()).isEqualTo(phone);
        assertThat(before.path("segments").size()).isPositive();
        assertThat(before.path("scores").path("churn").path("user_id").asText()).isEqualTo(erin);
        assertThat(texts(before.path("actionsSent"), "payload", "type")).contains("WinbackStarted", "WinbackReminderSent");
        assertThat(before.toString()).contains(name);
        assertThat(before.path("features").path("purchases").asLong()).isEqualTo(1);
        assertThat(before.path("winback")).singleElement().satisfies(w -> assertThat(w.path("arm").asText()).isEqualTo(ARM));
        assertThat(before.path("identities").toString()).contains("anon:" + anonymousId);
        assertThat(before.path("timeline").path("entries").toString()).contains("Order Completed").contains("at_risk");
        assertThat(trainingLog.activitiesOf(erin)).isNotEmpty();
        Map<String, String> reports = reports();

        JsonNode receipt = E2e.parse(Api.admin().post("/v1/users/" + erin + "/erase").then().statusCode(200).extract().asString());
        assertThat(E2e.texts(receipt.path("subjects"))).containsExactly(erin, "anon:" + anonymousId);
        assertThat(receipt.path("alreadyErased").asBoolean()).isFalse();
        assertThat(rows(receipt, "keyvault.user_key")).as("her key and her anonymous stream's key").isEqualTo(2);
        assertThat(rows(receipt, "domain_event_entry")).isEqualTo(2);
        assertThat(rows(receipt, "user_profile.user_id")).isEqualTo(2);
        assertThat(rows(receipt, "user_trait.user_id")).isEqualTo(4);
        assertThat(rows(receipt, "identity_link.user_id")).isEqualTo(1);
        assertThat(rows(receipt, "segment_membership.user_id")).isEqualTo(before.path("segments").size());
        assertThat(rows(receipt, "churn_score.user_id")).as("hers and her anonymous visit's").isEqualTo(2);
        assertThat(rows(receipt, "winback_entry.outcome")).as("her running episode").isEqualTo(1);
        assertThat(rows(receipt, "winback_step.user_id")).isEqualTo(1);
        assertThat(rows(receipt, "outbox.msg_key")).isEqualTo(2);
        assertThat(rows(receipt, "analytics_stage_transition.user_id")).isPositive();
        assertThat(rows(receipt, "ingest_message.user_id")).isEqualTo(4);
        SimulatedShop.awaitProjections();

        // after: no personal value anywhere, nothing left under her ids
        List<String> scanned = TableScan.tables(db);
        assertThat(scanned).contains("public.domain_event_entry", "public.ingest_message", "public.outbox", "keyvault.user_key",
                "public.user_trait", "public.winback_saga").hasSizeGreaterThan(40);
        for (String personal : List.of(email, name, phone, anonEmail)) {
            assertThat(TableScan.find(db, personal)).as(personal).isEmpty();
        }
        for (PersonalStores.Store s : PersonalStores.STORES) {
            assertThat(count("SELECT count(*) FROM " + s.table() + " WHERE " + s.column() + " IN (?, ?)", erin, "anon:" + anonymousId))
                    .as(s.table() + "." + s.column()).isZero();
        }
        JsonNode after = export(erin);
        assertThat(after.path("erased").asBoolean()).isTrue();
        assertThat(after.toString()).doesNotContain(email).doesNotContain(name).doesNotContain(phone).contains("[erased]");
        assertThat(after.path("traits").size()).isZero();
        JsonNode entries = after.path("timeline").path("entries");
        assertThat(entries.get(entries.size() - 1).path("type").asText()).as("the timeline shows her as erased").isEqualTo("UserErased");
        assertThat(reports()).as("report counts keep her under a pseudonym").isEqualTo(reports);

        JsonNode audit = E2e.parse(Api.admin().post("/v1/admin/replay-audit").then().statusCode(200).extract().asString());
        assertThat(audit.path("identical").asBoolean()).as(audit.toString()).isTrue();

        // her saga ended: nothing is sent when her next step would have been due
        await("her saga to end", () -> count("SELECT count(*) FROM winback_saga_association WHERE association_value = ?", erin) == 0);
        steps.sweep(nextStep.plus(Duration.ofDays(30)));
        SimulatedShop.awaitProjections();
        assertThat(count("SELECT count(*) FROM outbox WHERE msg_key = ? OR payload->>'userId' = ?", erin, erin)).isZero();
        assertThat(E2e.rows(db, "SELECT outcome FROM winback_entry WHERE user_id LIKE 'erased:%' AND trigger = 'AT_RISK' AND entered_at = ?",
                NOW.minus(Duration.ofDays(1)).atOffset(java.time.ZoneOffset.UTC))).extracting(r -> r.get("outcome")).containsExactly("ERASED");

        // training and ingestion skip her; her aggregate still loads and decides nothing
        assertThat(trainingLog.activitiesOf(erin)).isEmpty();
        List<String> trained = new ArrayList<>();
        trainingLog.activities(a -> trained.add(a.userId()));
        assertThat(trained).isNotEmpty().doesNotContain(erin);
        SimulatedShop.train("recommender");
        List<String> mapped = E2e.texts(E2e.parse((String) E2e.rows(db, "SELECT mapping::text AS m FROM model WHERE kind = 'recommender' "
                + "ORDER BY version DESC LIMIT 1").get(0).get("m")).path("users"));
        assertThat(mapped).as("users of the recommender trained after the erasure").isNotEmpty().doesNotContain(erin, "anon:" + anonymousId);
        long events = count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", erin);
        E2e.Reply resent = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", arr(obj("type", "identify", "messageId", "e-" + RUN + "-9",
                "userId", erin, "traits", obj("email", email)))));
        assertThat(resent.status()).as(resent.raw()).isEqualTo(200);
        assertThat(resent.body().path("accepted").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", erin)).isEqualTo(events);
        assertThat(TableScan.find(db, email)).isEmpty();
        LifecycleDecision decision = QuarkusTransaction.requiringNew().call(() ->
                lifecycle.send(Map.of(erin, new AdvanceLifecycleClock(erin, NOW.plus(Duration.ofDays(400))))).get(erin));
        assertThat(decision.nextDueAt()).isNull();
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", erin)).isEqualTo(events);

        JsonNode again = E2e.parse(Api.admin().post("/v1/users/" + erin + "/erase").then().statusCode(200).extract().asString());
        assertThat(again.path("alreadyErased").asBoolean()).isTrue();
        assertThat(again.path("stores")).isEqualTo(receipt.path("stores"));
    }

    @Test
    void onlyAdminsEraseOrExportAndUnknownUsersAreProblems() {
        Api.reader().post("/v1/users/sim-1/erase").then().statusCode(403);
        Api.reader().get("/v1/users/sim-1/export").then().statusCode(403);
        Api.admin().post("/v1/users/nobody-" + RUN + "/erase").then().statusCode(404).contentType("application/problem+json")
                .body("userId", org.hamcrest.Matchers.equalTo("nobody-" + RUN));
        Api.admin().get("/v1/users/nobody-" + RUN + "/export").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void everyTableWithAUserColumnIsErasedOrDeliberatelyKept() throws Exception {
        List<Map<String, Object>> columns = E2e.rows(db, "SELECT table_schema || '.' || table_name AS t FROM information_schema.columns "
                + "WHERE column_name = 'user_id' AND table_schema IN ('public', 'keyvault') AND table_name IN "
                + "(SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')");
        List<String> known = new ArrayList<>();
        PersonalStores.STORES.forEach(s -> known.add("public." + s.table()));
        PersonalStores.KEPT.forEach(k -> known.add(k.startsWith("keyvault.") ? "keyvault.user_key" : "public." + k.substring(0, k.indexOf('.'))));
        assertThat(columns).extracting(r -> (String) r.get("t")).isNotEmpty().allSatisfy(t -> assertThat(known).contains(t));
    }

    private JsonNode export(String user) {
        return E2e.parse(Api.admin().get("/v1/users/" + user + "/export").then().statusCode(200).extract().asString());
    }

    /** The analytics reports (funnel, cohorts, lifecycle, transitions) as the API answers them. */
    private static Map<String, String> reports() {
        Map<String, String> reports = new java.util.TreeMap<>();
        for (String path : List.of("/v1/analytics/funnel", "/v1/analytics/cohorts?period=week", "/v1/analytics/lifecycle?period=week",
                "/v1/analytics/transitions?period=all")) {
            reports.put(path, Api.reader().get(path).then().statusCode(200).extract().asString());
        }
        return reports;
    }

    private static long rows(JsonNode receipt, String store) {
        long n = -1;
        for (JsonNode s : receipt.path("stores")) {
            if (s.path("store").asText().equals(store)) {
                n = Math.max(n, 0) + s.path("rows").asLong();
            }
        }
        assertThat(n).as(store + " in " + receipt).isNotNegative();
        return n;
    }

    private static List<String> texts(JsonNode array, String field, String inner) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.path(field).path(inner).asText()));
        return out;
    }

    private long count(String sql, Object... params) {
        return E2e.count(db, sql, params);
    }

    private static void send(JsonNode... messages) {
        ArrayNode batch = arr();
        for (JsonNode m : messages) {
            batch.add(m);
        }
        E2e.Reply r = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", batch));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    private static void await(String what, BooleanSupplier done) {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(until);
            E2e.sleep(100);
        }
    }
}
