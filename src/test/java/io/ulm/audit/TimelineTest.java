package io.ulm.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/users/{id}/timeline} through the public API: a stage walk in event time (views on 3 days, a
 * purchase, 40 quiet days, a comeback) shows each message with the transitions it caused, rule and evidence, and
 * the inactivity transition at the instant it happened; personal values masked for read keys; paging; problems.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class TimelineTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static String id(String what) {
        return "tl-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    /** A user's walk: page, identify (email: personal), 2 more pages, a purchase, 40 days of nothing, a comeback. */
    private record Walk(String user, String visitor, String email, List<String> messageIds, Instant base, Instant purchase,
                        Instant atRisk, Instant comeback) {
    }

    private static Walk walk() {
        String user = id("walk");
        String visitor = id("visitor");
        String email = user + "@example.org";
        Instant base = Instant.now().minus(Duration.ofDays(50)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
        Instant purchase = base.plus(Duration.ofDays(3));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(id("m"));
        }
        // in one request with a message of "now" for another user: decided up to now, whatever ran before
        post("/v1/batch", obj("batch", arr(
                obj("type", "page", "messageId", ids.get(0), "userId", user, "name", "Home", "timestamp", base),
                obj("type", "identify", "messageId", ids.get(1), "userId", user, "anonymousId", visitor,
                        "timestamp", base.plus(Duration.ofHours(1)), "traits", obj("email", email, "plan", "pro")),
                obj("type", "page", "messageId", ids.get(2), "userId", user, "name", "Home", "timestamp", base.plus(Duration.ofDays(1))),
                obj("type", "page", "messageId", ids.get(3), "userId", user, "name", "Catalog", "timestamp", base.plus(Duration.ofDays(2))),
                obj("type", "track", "messageId", ids.get(4), "userId", user, "event", "Order Completed", "timestamp", purchase,
                        "properties", obj("revenue", 40, "products", arr(obj("product_id", "sku-7", "price", 40)))),
                obj("type", "track", "messageId", id("m"), "userId", id("clock"), "event", "Heartbeat",
                        "timestamp", Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS)))));
        Instant comeback = purchase.plus(Duration.ofDays(40));
        post("/v1/track", obj("messageId", ids.get(5), "userId", user, "event", "Product Viewed", "timestamp", comeback,
                "properties", obj("product_id", "sku-8")));
        return new Walk(user, visitor, email, ids, base, purchase, purchase.plus(Duration.ofDays(30)), comeback);
    }

    @Test
    void eachMessageShowsTheTransitionsItCausedWithRuleAndEvidence() {
        Walk w = walk();
        // the timeline reads the event log: no projection to wait for
        E2e.Reply r = E2e.get(Api.READ_KEY, "/v1/users/" + w.user() + "/timeline");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.body();
        assertThat(body.path("userId").asText()).isEqualTo(w.user());
        assertThat(body.path("events").asInt()).as("events in the log: 6 messages, 1 link, acquisition, 5 transitions").isEqualTo(13);
        assertThat(body.has("next")).as("one page").isFalse();

        List<String> lines = new ArrayList<>();
        for (JsonNode e : body.path("entries")) {
            List<String> caused = new ArrayList<>();
            e.path("transitions").forEach(t -> caused.add((t.path("from").isNull() ? "null" : t.path("from").asText()) + ">" + t.path("to").asText() + " by " + t.path("ruleId").asText()));
            lines.add(e.path("type").asText() + " | " + e.path("summary").asText() + " | " + caused);
        }
        assertThat(lines).containsExactly(
                "ActivityRecorded | page \"Home\" | [null>ACQUIRED by acquired]",
                "UserAcquired | acquired: first message " + w.messageIds().get(0) + " | []",
                "TraitsUpdated | identify: traits email, plan | []",
                "IdentityLinked | linked: anon:" + w.visitor() + " now resolves to " + w.user() + " (by identify) | []",
                "ActivityRecorded | page \"Home\" | []",
                "ActivityRecorded | page \"Catalog\" | [ACQUIRED>ENGAGED by engaged]",
                "ActivityRecorded | track \"Order Completed\": revenue 40; items sku-7 | [ENGAGED>MONETIZED by monetized]",
                "StageChanged | MONETIZED -> AT_RISK by rule at_risk (inactivity) | [MONETIZED>AT_RISK by at_risk]",
                "ActivityRecorded | track \"Product Viewed\": items sku-8 | [AT_RISK>REACTIVATED by reactivated]");

        JsonNode entries = body.path("entries");
        Instant previous = Instant.MIN;
        for (JsonNode e : entries) {
            Instant at = E2e.instant(e, "at");
            assertThat(at).as("event-time order").isAfterOrEqualTo(previous);
            previous = at;
            assertThat(E2e.instant(e, "storedAt")).as("stored time").isNotNull();
            assertThat(e.path("sequence").isIntegralNumber()).isTrue();
            assertThat(e.path("late").asBoolean()).isFalse();
        }
        JsonNode first = entries.get(0);
        assertThat(first.path("messageId").asText()).isEqualTo(w.messageIds().get(0));
        assertThat(E2e.instant(first, "at")).isEqualTo(w.base());
        assertThat(first.path("transitions").get(0).path("evidence").path("firstMessageId").asText()).isEqualTo(w.messageIds().get(0));

        JsonNode engaged = entries.get(5).path("transitions").get(0);
        assertThat(E2e.instant(engaged, "at")).isEqualTo(w.base().plus(Duration.ofDays(2)));
        assertThat(engaged.path("evidence").path("activeDays").asInt()).isEqualTo(3);
        assertThat(engaged.path("evidence").path("required").asInt()).isEqualTo(3);
        assertThat(Duration.parse(engaged.path("evidence").path("window").asText())).isEqualTo(Duration.ofDays(14));

        JsonNode purchase = entries.get(6);
        assertThat(purchase.path("messageId").asText()).isEqualTo(w.messageIds().get(4));
        assertThat(purchase.path("transitions").get(0).path("evidence").path("purchaseMessageId").asText()).isEqualTo(w.messageIds().get(4));
        assertThat(purchase.path("payload").path("revenue").asInt()).isEqualTo(40);

        JsonNode atRisk = entries.get(7);
        assertThat(atRisk.path("messageId").isNull()).as("inactivity has no cause").isTrue();
        assertThat(E2e.instant(atRisk, "at")).as("the instant the threshold was crossed").isEqualTo(w.atRisk());
        JsonNode atRiskWhy = atRisk.path("transitions").get(0).path("evidence");
        assertThat(atRiskWhy.path("lastActivityAt").asText()).isEqualTo(w.purchase().toString());
        assertThat(Duration.parse(atRiskWhy.path("inactiveFor").asText())).isEqualTo(Duration.ofDays(30));

        JsonNode comeback = entries.get(8);
        assertThat(comeback.path("messageId").asText()).isEqualTo(w.messageIds().get(5));
        assertThat(E2e.instant(comeback, "at")).isEqualTo(w.comeback());
        JsonNode why = comeback.path("transitions").get(0).path("evidence");
        assertThat(why.path("previousStage").asText()).isEqualTo("AT_RISK");
        assertThat(why.path("inactiveSince").asText()).isEqualTo(w.purchase().toString());
        assertThat(why.path("inactiveDays").asInt()).isEqualTo(40);
    }

    @Test
    void personalValuesAreMaskedForReadKeysAndRevealedForAdmins() {
        Walk w = walk();
        E2e.Reply read = E2e.get(Api.READ_KEY, "/v1/users/" + w.user() + "/timeline");
        assertThat(read.raw()).doesNotContain(w.email()).doesNotContain("$encrypted");
        JsonNode identify = entry(read.body(), "TraitsUpdated");
        assertThat(identify.path("payload").path("traits").path("email").asText()).isEqualTo("[personal]");
        assertThat(identify.path("payload").path("traits").path("plan").asText()).isEqualTo("pro");

        E2e.Reply admin = E2e.get(Api.ADMIN_KEY, "/v1/users/" + w.user() + "/timeline");
        assertThat(admin.status()).as(admin.toString()).isEqualTo(200);
        assertThat(entry(admin.body(), "TraitsUpdated").path("payload").path("traits").path("email").asText()).isEqualTo(w.email());
        assertThat(admin.raw()).doesNotContain("$encrypted");
    }

    @Test
    void pagesFollowOneAnotherAndBadParametersAreProblems() {
        Walk w = walk();
        String path = "/v1/users/" + w.user() + "/timeline";
        List<Long> all = sequences(E2e.get(Api.READ_KEY, path + "?limit=1000").body());
        assertThat(all).hasSize(9);

        List<Long> paged = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            E2e.Reply r = E2e.get(Api.READ_KEY, path + "?limit=4" + (next == null ? "" : "&after=" + next));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.body().path("entries").size()).isLessThanOrEqualTo(4);
            paged.addAll(sequences(r.body()));
            next = r.body().hasNonNull("next") ? r.body().get("next").asText() : null;
            pages++;
        } while (next != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).as("the pages, one after another, are the whole timeline").isEqualTo(all);

        for (String query : List.of("limit=0", "limit=1001", "limit=ten", "after=-1", "after=x", "after=99999")) {
            E2e.Reply r = E2e.get(Api.READ_KEY, path + "?" + query);
            assertThat(r.status()).as(query + " -> " + r).isEqualTo(400);
            assertThat(r.body().path("type").asText()).isEqualTo("/problems/invalid-parameter");
            assertThat(r.body().path("parameter").asText()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void idsResolveAsForTheProfileAndUnknownUsersAreProblems() {
        Walk w = walk();
        // the anonymousId her identify linked: her timeline
        E2e.Reply linked = E2e.get(Api.READ_KEY, "/v1/users/" + w.visitor() + "/timeline");
        assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
        assertThat(linked.body().path("userId").asText()).isEqualTo(w.user());

        // an anonymous visitor: anon:<id>
        String stranger = id("stranger");
        post("/v1/page", obj("messageId", id("m"), "anonymousId", stranger, "name", "Home",
                "timestamp", Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS)));
        E2e.Reply anonymous = E2e.get(Api.READ_KEY, "/v1/users/" + stranger + "/timeline");
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
        assertThat(anonymous.body().path("userId").asText()).isEqualTo("anon:" + stranger);
        assertThat(anonymous.body().path("entries").get(0).path("transitions").get(0).path("to").asText()).isEqualTo("ACQUIRED");

        String nobody = id("nobody");
        E2e.Reply unknown = E2e.get(Api.READ_KEY, "/v1/users/" + nobody + "/timeline");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.body().path("type").asText()).isEqualTo("/problems/unknown-user");
        assertThat(unknown.body().path("userId").asText()).isEqualTo(nobody);

        assertThat(RestAssured.given().get("/v1/users/" + w.user() + "/timeline").statusCode()).as("no key").isEqualTo(401);
        assertThat(Api.writer().get("/v1/users/" + w.user() + "/timeline").statusCode()).as("ingest key").isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------

    private static void post(String path, ObjectNode body) {
        E2e.Reply r = E2e.post(Api.WRITE_KEY, path, body);
        assertThat(r.status()).as("POST " + path + " -> " + r).isEqualTo(200);
    }

    private static JsonNode entry(JsonNode timeline, String type) {
        for (JsonNode e : timeline.path("entries")) {
            if (type.equals(e.path("type").asText())) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " entry in " + timeline);
    }

    private static List<Long> sequences(JsonNode timeline) {
        List<Long> out = new ArrayList<>();
        timeline.path("entries").forEach(e -> out.add(e.path("sequence").asLong()));
        return out;
    }
}
