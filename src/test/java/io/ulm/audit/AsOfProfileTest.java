package io.ulm.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.projection.ProjectionProgress;
import io.ulm.projection.UserProfileProjection;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/users/{id}?asOf=}: the profile rebuilt from the log equals the profile the live system showed at
 * that date, while the user's history was coming in through the live API in event-time order.
 *
 * <p>The event-time clock is shared by every test of the run and only moves forward (other tests push it to about
 * now), so "the live system at date D" is simulated honestly as follows: the history is recent (the last 75 days);
 * the first part is sent in ONE request together with a message of now for another user, so that it is decided up
 * to now, as a live system that had lived through those days would have decided it; the later messages, each
 * within 30 days of now, follow in small requests. After each request, once the profile projection has caught up,
 * the live profile is what a live system showed at every date D from the request's last message until the next
 * message: no decision falls between D and now (the user was active within 30 days of now, or, after part 1, her
 * next inactivity threshold lies in the future). At three such dates per request, {@code ?asOf=D} must equal it,
 * field by field, for a read key (personal traits masked) and an admin key (decrypted), for the user, her linked
 * anonymousId and her anonymous profile.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AsOfProfileTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();
    /**
     * Twelve hours ahead (whole hours): whole days before it fall on distinct calendar days, day(1) is half a day
     * in the past, and day(30) + 30 days is half a day in the future whatever the time of day. (Noon today was
     * used before: every run after 12:00 UTC saw her REACTIVATED on day 30 fall AT_RISK again at noon, in the
     * past by then — the scenario assumes no decision falls between a message and now.)
     */
    private static final Instant ANCHOR = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(12));

    @Inject
    ProjectionProgress progress;

    private static String id(String what) {
        return "aud-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    /** {@code daysAgo} days before the anchor (at least 1: always in the past). */
    private static Instant day(int daysAgo) {
        return ANCHOR.minus(Duration.ofDays(daysAgo));
    }

    // ------------------------------------------------------------------------------------------
    // The test: asOf at a date = the state observed at that date during a live import
    // ------------------------------------------------------------------------------------------

    @Test
    void asOfEqualsTheProfileObservedAtThatDateDuringALiveImport() {
        String user = id("ada");
        String visitor = id("visitor");   // her anonymousId, linked by her first identify
        String oldId = id("old");         // an earlier id of hers, aliased later
        String anon = "anon:" + visitor;

        // Part 1, one request: an anonymous visit, then identify (links the visitor), views on 3 days, a purchase,
        // then nothing for 40+ days; with a message of "now" for another user, so it is decided up to now:
        // ACQUIRED, ENGAGED, MONETIZED, and AT_RISK 30 days after the purchase.
        send("/v1/batch", obj("batch", arr(
                obj("type", "page", "messageId", id("m"), "anonymousId", visitor, "name", "Landing", "timestamp", day(75)),
                obj("type", "identify", "messageId", id("m"), "userId", user, "anonymousId", visitor, "timestamp", day(74),
                        "traits", obj("email", user + "@example.org", "plan", "free", "country", "GB")),
                obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", day(74).plus(Duration.ofHours(1))),
                obj("type", "page", "messageId", id("m"), "userId", user, "name", "Catalog", "timestamp", day(73)),
                obj("type", "track", "messageId", id("m"), "userId", user, "event", "Product Viewed", "timestamp", day(72),
                        "properties", obj("product_id", "sku-1")),
                obj("type", "track", "messageId", id("m"), "userId", user, "event", "Order Completed", "timestamp", day(70),
                        "properties", obj("revenue", 20, "currency", "EUR", "products", arr(obj("product_id", "sku-1", "price", 20)))),
                obj("type", "track", "messageId", id("m"), "userId", id("clock"), "event", "Heartbeat",
                        "timestamp", Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS)))));
        // date -> what the live API showed then (read and admin key, for each id)
        Map<Instant, Map<String, JsonNode>> snapshots = new LinkedHashMap<>();
        Map<String, JsonNode> observed = observe(user, visitor, anon);
        assertThat(observed.get(user).path("stage").asText()).as("live, after part 1").isEqualTo("AT_RISK");
        assertThat(E2e.instant(observed.get(user), "stageSince")).isEqualTo(day(40));
        // what a live system showed on every date from the AT_RISK decision until the next message
        for (Instant d : List.of(day(40), day(35), day(30).minusSeconds(1))) {
            snapshots.put(d, observed);
        }

        // Part 2: the rest of her history, each message within 30 days of now (so nothing is due between it and
        // now), in requests of one to three messages; a snapshot after each request
        List<List<Map.Entry<Instant, ObjectNode>>> requests = List.of(
                List.of(Map.entry(day(30), obj("type", "page", "userId", user, "name", "Home"))),                   // REACTIVATED
                List.of(Map.entry(day(29), obj("type", "identify", "userId", user, "traits", obj("plan", "pro"))),   // a newer trait
                        Map.entry(day(28), obj("type", "track", "userId", user, "event", "Order Completed",           // MONETIZED
                                "properties", obj("revenue", 35.5, "currency", "EUR", "products", arr(obj("product_id", "sku-2")))))),
                List.of(Map.entry(day(25), obj("type", "group", "userId", user, "groupId", "acme", "traits", obj("industry", "retail"))),
                        Map.entry(day(20), obj("type", "track", "userId", user, "event", "Order Completed",
                                "properties", obj("revenue", 10, "products", arr(obj("product_id", "sku-3"))))),
                        Map.entry(day(15), obj("type", "alias", "userId", user, "previousId", oldId))),                 // links oldId
                List.of(Map.entry(day(12), obj("type", "track", "userId", user, "event", "Order Refunded", "properties", obj("revenue", 10))),
                        Map.entry(day(10), obj("type", "track", "userId", user, "event", "Order Completed",           // LOYAL
                                "properties", obj("revenue", 15, "products", arr(obj("product_id", "sku-2")))))),
                List.of(Map.entry(day(5), obj("type", "screen", "userId", user, "name", "Settings"))));
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Map.Entry<Instant, ObjectNode>> request = requests.get(i);
            com.fasterxml.jackson.databind.node.ArrayNode batch = arr();
            for (Map.Entry<Instant, ObjectNode> m : request) {
                batch.add(m.getValue().deepCopy().put("messageId", id("m")).put("timestamp", m.getKey().toString()));
            }
            send("/v1/batch", obj("batch", batch));
            observed = observe(user, visitor, anon);
            stages.add(observed.get(user).path("stage").asText());
            Instant at = request.get(request.size() - 1).getKey();
            Instant next = i + 1 < requests.size() ? requests.get(i + 1).get(0).getKey() : Instant.now().truncatedTo(ChronoUnit.SECONDS);
            for (Instant d : List.of(at, at.plus(Duration.between(at, next).dividedBy(2)).truncatedTo(ChronoUnit.SECONDS),
                    next.minusSeconds(1))) {
                snapshots.put(d, observed);
            }
        }
        assertThat(stages).as("the live walk the snapshots went through").containsExactly(
                "REACTIVATED", "MONETIZED", "MONETIZED", "LOYAL", "LOYAL");
        JsonNode last = observed.get(user);
        assertThat(E2e.texts(last.path("linkedIds"))).containsExactly("anon:" + oldId, anon, oldId);
        assertThat(last.path("traits").path("plan").asText()).isEqualTo("pro");
        assertThat(last.path("traits").path("email").asText()).isEqualTo("[personal]");
        assertThat(last.path("refunds").asLong()).isEqualTo(1);
        assertThat(last.path("distinctItems").asLong()).isEqualTo(3);

        // now that her whole history is in: each date's profile, rebuilt from the log, is what was observed then
        assertThat(snapshots).hasSize(18);
        snapshots.forEach((d, then) -> assertAsOfEquals(then, d));
        // asOf in the future: everything, the live profile
        assertAsOfEquals(observed, Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS));
    }

    /** Before the links existed, ids resolve as they did then; before her first message she did not exist. */
    @Test
    void idsResolveWithTheLinksOfThatDateAndNothingBeforeTheFirstMessage() {
        String user = id("bea");
        String visitor = id("visitor");
        send("/v1/batch", obj("batch", arr(
                obj("type", "page", "messageId", id("m"), "anonymousId", visitor, "name", "Landing", "timestamp", day(20)),
                obj("type", "identify", "messageId", id("m"), "userId", user, "anonymousId", visitor, "timestamp", day(19),
                        "traits", obj("plan", "free")))));
        E2e.Reply now = E2e.get(Api.READ_KEY, "/v1/users/" + visitor + "?asOf=" + day(1));
        assertThat(now.status()).as(now.toString()).isEqualTo(200);
        assertThat(now.body().path("userId").asText()).as("linked on day 19: the visitor is the user").isEqualTo(user);

        E2e.Reply before = E2e.get(Api.READ_KEY, "/v1/users/" + visitor + "?asOf=" + day(20).plusSeconds(60));
        assertThat(before.status()).as(before.toString()).isEqualTo(200);
        assertThat(before.body().path("userId").asText()).as("before the link: the anonymous profile").isEqualTo("anon:" + visitor);
        assertThat(before.body().path("linkedTo").isNull()).as("not linked yet").isTrue();
        assertThat(before.body().path("stage").asText()).isEqualTo("ACQUIRED");
        assertThat(before.body().path("messages").asLong()).isEqualTo(1);
        assertThat(before.body().path("asOf").asText()).isEqualTo(day(20).plusSeconds(60).toString());

        E2e.Reply linkedAnon = E2e.get(Api.READ_KEY, "/v1/users/anon:" + visitor + "?asOf=" + day(1));
        assertThat(linkedAnon.body().path("linkedTo").asText()).as(linkedAnon.toString()).isEqualTo(user);

        for (String who : List.of(user, visitor)) {
            E2e.Reply gone = E2e.get(Api.READ_KEY, "/v1/users/" + who + "?asOf=" + day(21));
            assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
            assertThat(gone.body().path("type").asText()).isEqualTo("/problems/unknown-user");
            assertThat(gone.body().path("asOf").asText()).isEqualTo(day(21).toString());
        }
        E2e.Reply unknown = E2e.get(Api.READ_KEY, "/v1/users/" + id("nobody") + "?asOf=" + day(1));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    }

    /**
     * A message that happened earlier but arrived after the rules had decided past it (late) counts in the past
     * profile from its event time on, and rewrites no decision: the stage stays what the rules decided then.
     */
    @Test
    void aLateMessageCountsFromItsEventTimeButDecidesNothing() {
        String user = id("cy");
        send("/v1/page", obj("messageId", id("m"), "userId", user, "name", "Home", "timestamp", day(10)));
        send("/v1/page", obj("messageId", id("m"), "userId", user, "name", "Home", "timestamp", day(9)));
        send("/v1/track", obj("messageId", id("m"), "userId", user, "event", "Product Viewed", "timestamp", day(12),
                "properties", obj("product_id", "sku-9")));
        JsonNode live = E2e.awaitProfile(Api.READ_KEY, user, p -> p.path("messages").asLong() == 3);
        assertThat(live.path("lateMessages").asLong()).isEqualTo(1);

        JsonNode atDay10 = asOf(Api.READ_KEY, user, day(10));
        assertThat(atDay10.path("messages").asLong()).as("the late message had happened by day 10").isEqualTo(2);
        assertThat(atDay10.path("lateMessages").asLong()).isEqualTo(1);
        assertThat(E2e.instant(atDay10, "firstSeen")).isEqualTo(day(12));
        assertThat(atDay10.path("stage").asText()).isEqualTo("ACQUIRED");
        assertThat(E2e.instant(atDay10, "acquiredAt")).as("decided on day 10, and never rewritten").isEqualTo(day(10));

        JsonNode atDay11 = asOf(Api.READ_KEY, user, day(11));
        assertThat(atDay11.path("messages").asLong()).isEqualTo(1);
        assertThat(atDay11.path("stage").isNull()).as("the rules had decided nothing by day 11: " + atDay11).isTrue();
        assertThat(atDay11.path("distinctItems").asLong()).isEqualTo(1);
    }

    @Test
    void anInvalidAsOfIsAProblemNamingTheParameter() {
        String user = id("dee");
        send("/v1/page", obj("messageId", id("m"), "userId", user, "name", "Home", "timestamp", day(3)));
        for (String bad : List.of("yesterday", "2024-03-01", "2024-03-01T10:00:00", "", "2024-13-01T00:00:00Z")) {
            E2e.Reply r = E2e.get(Api.READ_KEY, "/v1/users/" + user + "?asOf=" + bad);
            assertThat(r.status()).as("asOf=" + bad + " -> " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body().path("type").asText()).isEqualTo("/problems/invalid-parameter");
            assertThat(r.body().path("parameter").asText()).isEqualTo("asOf");
        }
        // an offset is fine, and the answer names the instant in UTC
        Instant at = day(1);
        E2e.Reply r = E2e.reply(Api.reader().queryParam("asOf", at.atOffset(java.time.ZoneOffset.ofHours(2)).toString())
                .get("/v1/users/" + user));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("asOf").asText()).isEqualTo(at.toString());
        // the live profile has no asOf
        JsonNode live = E2e.awaitProfile(Api.READ_KEY, user, p -> p.path("messages").asLong() == 1);
        assertThat(live.has("asOf")).isFalse();
        assertThat(E2e.profile("", user).status()).isEqualTo(401);
        assertThat(E2e.reply(Api.writer().get("/v1/users/" + user + "?asOf=" + at)).status()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------

    private static void send(String path, ObjectNode body) {
        E2e.Reply r = E2e.post(Api.WRITE_KEY, path, body);
        assertThat(r.status()).as("POST " + path + " -> " + r).isEqualTo(200);
        assertThat(r.body().path("accepted").asInt()).as(r.toString()).isPositive();
    }

    /**
     * What the live API shows once the profile projection reflects every event stored so far: the profiles of
     * {@code ids} by a read key, and (key {@code admin:<id>}) by an admin key.
     */
    private Map<String, JsonNode> observe(String... ids) {
        awaitProfileProjection();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String id : ids) {
            E2e.Reply read = E2e.profile(Api.READ_KEY, id);
            E2e.Reply admin = E2e.profile(Api.ADMIN_KEY, id);
            assertThat(read.status()).as("GET /v1/users/" + id + " -> " + read).isEqualTo(200);
            assertThat(admin.status()).as("GET /v1/users/" + id + " (admin) -> " + admin).isEqualTo(200);
            out.put(id, read.body());
            out.put("admin:" + id, admin.body());
        }
        return out;
    }

    /**
     * Until the profile projection's token (all its segments) has passed the head of the log as it was when the
     * wait began: every event stored so far is in the read model. (An idle segment's token moves only every few
     * seconds, so this takes up to ~5 s.)
     */
    private void awaitProfileProjection() {
        long head = progress.status().head();
        long deadline = System.nanoTime() + E2e.PROJECTION_WAIT.toNanos();
        while (true) {
            ProjectionProgress.Processor p = progress.status().processors().get(UserProfileProjection.NAME);
            if (p != null && p.position() >= head) {
                return;
            }
            assertThat(System.nanoTime()).as("the profile projection reached " + head + " in time; now " + p).isLessThan(deadline);
            E2e.sleep(50);
        }
    }

    /** ?asOf=d equals each observed profile (read and admin key), but for asOf itself. */
    private static void assertAsOfEquals(Map<String, JsonNode> observed, Instant d) {
        observed.forEach((key, live) -> {
            boolean admin = key.startsWith("admin:");
            String id = admin ? key.substring("admin:".length()) : key;
            JsonNode past = asOf(admin ? Api.ADMIN_KEY : Api.READ_KEY, id, d);
            assertThat(past.path("asOf").asText()).isEqualTo(d.toString());
            ObjectNode withoutAsOf = ((ObjectNode) past).deepCopy();
            withoutAsOf.remove("asOf");
            assertThat(withoutAsOf).as("GET /v1/users/%s?asOf=%s (%s key) equals what the live API showed then",
                    id, d, admin ? "admin" : "read").isEqualTo(live);
        });
    }

    private static JsonNode asOf(String key, String id, Instant d) {
        E2e.Reply r = E2e.get(key, "/v1/users/" + id + "?asOf=" + d);
        assertThat(r.status()).as("GET /v1/users/" + id + "?asOf=" + d + " -> " + r).isEqualTo(200);
        return r.body();
    }
}
