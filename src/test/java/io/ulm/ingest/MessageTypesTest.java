package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ulm.support.E2e.texts;
import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.awaitProfile;
import static io.ulm.support.E2e.instant;
import static io.ulm.support.E2e.obj;
import static io.ulm.support.E2e.post;
import static io.ulm.support.E2e.stageAfter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One end-to-end case per Segment message type: the 200 answer, then the profile the projection
 * builds from it (counts per type and name, traits, purchases, items, stage and its rule, first and
 * last seen at the sent timestamps). Then event time: clock-skew correction, receipt time for
 * messages without a timestamp, and stage walks whose stageSince is the event time.
 *
 * <p>Timestamps are recent (minutes to days ago) unless a case needs the past: the event-time clock
 * (watermark) is shared by every test of the run, so a lone message from long ago may already be
 * decided as inactive by the time it is read.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MessageTypesTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Inject
    DataSource db;

    private static String id(String what) {
        return "mt-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    /** A recent instant in whole seconds (exact through PostgreSQL's microsecond timestamps). */
    private static Instant ago(Duration d) {
        return Instant.now().minus(d).truncatedTo(ChronoUnit.SECONDS);
    }

    private static void accepted(E2e.Reply r, int accepted, int duplicates) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(200);
        assertThat(r.body().path("success").asBoolean()).as("success in %s", r).isTrue();
        assertThat(r.body().path("accepted").asInt(-1)).as("accepted in %s", r).isEqualTo(accepted);
        assertThat(r.body().path("duplicates").asInt(-1)).as("duplicates in %s", r).isEqualTo(duplicates);
    }

    private static long count(JsonNode profile, String type, String name) {
        return profile.path("counts").path(type).path(name).asLong(0);
    }

    /** The fields every profile case checks. */
    private static void common(SoftAssertions s, JsonNode p, String user, String stage, String rule, Instant stageSince,
                               Instant firstSeen, Instant lastSeen, long messages, long activities) {
        s.assertThat(p.path("userId").asText()).as("userId").isEqualTo(user);
        s.assertThat(p.path("stage").asText(null)).as("stage").isEqualTo(stage);
        s.assertThat(p.path("stageRule").asText(null)).as("stageRule").isEqualTo(rule);
        s.assertThat(instant(p, "stageSince")).as("stageSince").isEqualTo(stageSince);
        s.assertThat(instant(p, "acquiredAt")).as("acquiredAt").isEqualTo(firstSeen);
        s.assertThat(instant(p, "firstSeen")).as("firstSeen").isEqualTo(firstSeen);
        s.assertThat(instant(p, "lastSeen")).as("lastSeen").isEqualTo(lastSeen);
        s.assertThat(p.path("messages").asLong(-1)).as("messages").isEqualTo(messages);
        s.assertThat(p.path("activities").asLong(-1)).as("activities").isEqualTo(activities);
        s.assertThat(p.path("lateMessages").asLong(-1)).as("lateMessages").isZero();
    }

    // ------------------------------------------------------------------------------------------
    // One message type each
    // ------------------------------------------------------------------------------------------

    @Test
    void trackOrderCompletedWithProducts() {
        String user = id("track");
        Instant t = ago(Duration.ofMinutes(30));
        ObjectNode msg = obj("messageId", id("m"), "userId", user, "event", "Order Completed", "timestamp", t,
                "properties", obj("order_id", "o-1", "currency", "EUR", "products", arr(
                        obj("product_id", "sku-1", "name", "Lamp", "price", 10, "quantity", 2),
                        obj("product_id", "sku-2", "price", 5.5))));
        accepted(post(Api.WRITE_KEY, "/v1/track", msg), 1, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "MONETIZED"));
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "MONETIZED", "monetized", t, t, t, 1, 1);
        s.assertThat(instant(p, "lastActivityAt")).as("lastActivityAt").isEqualTo(t);
        s.assertThat(count(p, "track", "Order Completed")).as("counts.track['Order Completed']").isEqualTo(1);
        s.assertThat(p.path("counts").size()).as("message types counted").isEqualTo(1);
        s.assertThat(p.path("purchases").asLong()).as("purchases").isEqualTo(1);
        s.assertThat(p.path("refunds").asLong()).as("refunds").isZero();
        // no revenue/total property: the sum of price x quantity (2 x 10 + 5.5)
        s.assertThat(p.path("revenue").decimalValue()).as("revenue").isEqualByComparingTo("25.5");
        s.assertThat(p.path("refunded").decimalValue()).as("refunded").isEqualByComparingTo("0");
        s.assertThat(p.path("distinctItems").asInt()).as("distinctItems").isEqualTo(2);
        s.assertAll();
    }

    @Test
    void identifySetsTraitsAndEncryptsPersonalOnes() {
        String user = id("identify");
        Instant t = ago(Duration.ofMinutes(29));
        String email = user + "@example.com";
        ObjectNode msg = obj("messageId", id("m"), "userId", user, "timestamp", t,
                "traits", obj("plan", "pro", "logins", 3, "email", email, "firstName", "Ada"));
        accepted(post(Api.WRITE_KEY, "/v1/identify", msg), 1, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        JsonNode admin = E2e.profile(Api.ADMIN_KEY, user).body();
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "ACQUIRED", "acquired", t, t, t, 1, 0);
        s.assertThat(p.path("lastActivityAt").isNull()).as("lastActivityAt is null (identify is not activity): " + p.path("lastActivityAt")).isTrue();
        s.assertThat(count(p, "identify", "")).as("counts.identify['']").isEqualTo(1);
        s.assertThat(p.path("counts").size()).as("message types counted").isEqualTo(1);
        s.assertThat(p.path("purchases").asLong()).as("purchases").isZero();
        s.assertThat(p.path("traits").path("plan").asText()).as("traits.plan").isEqualTo("pro");
        s.assertThat(p.path("traits").path("logins").asInt()).as("traits.logins").isEqualTo(3);
        s.assertThat(p.path("traits").path("email").asText()).as("traits.email (read key)").isEqualTo("[personal]");
        s.assertThat(p.path("traits").path("firstName").asText()).as("traits.firstName (read key)").isEqualTo("[personal]");
        s.assertThat(admin.path("traits").path("email").asText()).as("traits.email (admin key)").isEqualTo(email);
        s.assertThat(admin.path("traits").path("firstName").asText()).as("traits.firstName (admin key)").isEqualTo("Ada");
        s.assertThat(admin.path("traits").path("plan").asText()).as("traits.plan (admin key)").isEqualTo("pro");
        s.assertAll();
    }

    @Test
    void pageView() {
        String user = id("page");
        Instant t = ago(Duration.ofMinutes(28));
        accepted(post(Api.WRITE_KEY, "/v1/page", obj("messageId", id("m"), "userId", user, "name", "Pricing", "timestamp", t,
                "properties", obj("path", "/pricing", "url", "https://shop.example/pricing"))), 1, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "ACQUIRED", "acquired", t, t, t, 1, 1);
        s.assertThat(instant(p, "lastActivityAt")).as("lastActivityAt").isEqualTo(t);
        s.assertThat(count(p, "page", "Pricing")).as("counts.page.Pricing").isEqualTo(1);
        s.assertThat(p.path("counts").size()).as("message types counted").isEqualTo(1);
        s.assertThat(p.path("purchases").asLong()).as("purchases").isZero();
        s.assertThat(p.path("distinctItems").asInt()).as("distinctItems").isZero();
        s.assertAll();
    }

    @Test
    void screenView() {
        String user = id("screen");
        Instant t = ago(Duration.ofMinutes(27));
        accepted(post(Api.WRITE_KEY, "/v1/screen", obj("messageId", id("m"), "userId", user, "name", "Dashboard", "timestamp", t,
                "properties", obj("product_id", "sku-9"))), 1, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "ACQUIRED", "acquired", t, t, t, 1, 1);
        s.assertThat(instant(p, "lastActivityAt")).as("lastActivityAt").isEqualTo(t);
        s.assertThat(count(p, "screen", "Dashboard")).as("counts.screen.Dashboard").isEqualTo(1);
        s.assertThat(p.path("counts").size()).as("message types counted").isEqualTo(1);
        s.assertThat(p.path("distinctItems").asInt()).as("distinctItems (product_id on a screen)").isEqualTo(1);
        s.assertAll();
    }

    @Test
    void aliasLinksPreviousId() {
        String user = id("alias");
        String previous = id("alias-prev");
        Instant t = ago(Duration.ofMinutes(26));
        accepted(post(Api.WRITE_KEY, "/v1/alias", obj("messageId", id("m"), "userId", user, "previousId", previous, "timestamp", t)), 1, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        E2e.Reply byPrevious = E2e.profile(Api.READ_KEY, previous);
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "ACQUIRED", "acquired", t, t, t, 1, 0);
        s.assertThat(count(p, "alias", "")).as("counts.alias[''] (one alias message)").isEqualTo(1);
        s.assertThat(p.path("counts").size()).as("message types counted").isEqualTo(1);
        s.assertThat(texts(p.path("linkedIds"))).as("linkedIds").contains(previous);
        s.assertThat(byPrevious.status()).as("GET /v1/users/<previousId>: " + byPrevious).isEqualTo(200);
        s.assertThat(byPrevious.body().path("userId").asText()).as("GET /v1/users/<previousId> resolves to").isEqualTo(user);
        s.assertAll();
    }

    @Test
    void groupSetsGroupId() {
        String user = id("group");
        String group = id("acme");
        Instant t = ago(Duration.ofMinutes(25));
        accepted(post(Api.WRITE_KEY, "/v1/group", obj("messageId", id("m"), "userId", user, "groupId", group, "timestamp", t,
                "traits", obj("industry", "retail", "employees", 120))), 1, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "ACQUIRED", "acquired", t, t, t, 1, 0);
        s.assertThat(count(p, "group", "")).as("counts.group['']").isEqualTo(1);
        s.assertThat(p.path("counts").size()).as("message types counted").isEqualTo(1);
        s.assertThat(p.path("traits").path("groupId").asText()).as("traits.groupId").isEqualTo(group);
        s.assertAll();
    }

    /** Every type in one batch, with an anonymous page view after the identify that links its anonymousId. */
    @Test
    void batchMixingAllTypes() {
        String user = id("batch");
        String anonymous = id("batch-anon");
        String previous = id("batch-prev");
        String group = id("batch-group");
        Instant t1 = ago(Duration.ofMinutes(24));
        List<Instant> t = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            t.add(t1.plusSeconds(60L * i));
        }
        String body = obj("context", obj("library", obj("name", "analytics.js", "version", "4.1.0")), "batch", arr(
                obj("type", "identify", "messageId", id("m"), "userId", user, "anonymousId", anonymous, "timestamp", t.get(0),
                        "traits", obj("plan", "pro", "email", user + "@example.com")),
                obj("type", "page", "messageId", id("m"), "anonymousId", anonymous, "name", "Home", "timestamp", t.get(1)),
                obj("type", "track", "messageId", id("m"), "userId", user, "event", "Product Viewed", "timestamp", t.get(2),
                        "properties", obj("product_id", "sku-1", "price", 20)),
                obj("type", "screen", "messageId", id("m"), "userId", user, "name", "Player", "timestamp", t.get(3)),
                obj("type", "group", "messageId", id("m"), "userId", user, "groupId", group, "timestamp", t.get(4)),
                obj("type", "alias", "messageId", id("m"), "userId", user, "previousId", previous, "timestamp", t.get(5)),
                obj("type", "track", "messageId", id("m"), "userId", user, "event", "Order Completed", "timestamp", t.get(6),
                        "properties", obj("order_id", "o-2", "revenue", 30, "currency", "USD", "products", arr(
                                obj("product_id", "sku-1", "price", 20), obj("sku", "sku-3", "price", 15)))))).toString();
        accepted(post(Api.WRITE_KEY, "/v1/batch", body), 7, 0);

        Instant last = t.get(6);
        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(7, "MONETIZED"));
        E2e.Reply byAnonymous = E2e.profile(Api.READ_KEY, anonymous);
        SoftAssertions s = new SoftAssertions();
        common(s, p, user, "MONETIZED", "monetized", last, t1, last, 7, 4);
        s.assertThat(instant(p, "lastActivityAt")).as("lastActivityAt").isEqualTo(last);
        s.assertThat(count(p, "identify", "")).as("counts.identify['']").isEqualTo(1);
        s.assertThat(count(p, "page", "Home")).as("counts.page.Home (anonymous view after identify)").isEqualTo(1);
        s.assertThat(count(p, "track", "Product Viewed")).as("counts.track['Product Viewed']").isEqualTo(1);
        s.assertThat(count(p, "track", "Order Completed")).as("counts.track['Order Completed']").isEqualTo(1);
        s.assertThat(count(p, "screen", "Player")).as("counts.screen.Player").isEqualTo(1);
        s.assertThat(count(p, "group", "")).as("counts.group['']").isEqualTo(1);
        s.assertThat(count(p, "alias", "")).as("counts.alias['']").isEqualTo(1);
        s.assertThat(p.path("purchases").asLong()).as("purchases").isEqualTo(1);
        // an explicit revenue wins over the sum of the products (35)
        s.assertThat(p.path("revenue").decimalValue()).as("revenue").isEqualByComparingTo("30");
        s.assertThat(p.path("distinctItems").asInt()).as("distinctItems (sku-1 twice, sku-3)").isEqualTo(2);
        s.assertThat(p.path("traits").path("plan").asText()).as("traits.plan").isEqualTo("pro");
        s.assertThat(p.path("traits").path("email").asText()).as("traits.email (read key)").isEqualTo("[personal]");
        s.assertThat(p.path("traits").path("groupId").asText()).as("traits.groupId").isEqualTo(group);
        s.assertThat(texts(p.path("linkedIds"))).as("linkedIds").contains("anon:" + anonymous, previous);
        s.assertThat(byAnonymous.body().path("userId").asText()).as("GET /v1/users/<anonymousId>: " + byAnonymous).isEqualTo(user);
        s.assertAll();
    }

    // ------------------------------------------------------------------------------------------
    // Event time
    // ------------------------------------------------------------------------------------------

    /** A device clock 1 h behind: timestamp T, sentAt T+1h, received now: the event happened at now - 1 h. */
    @Test
    void clockSkewIsCorrectedWithSentAt() {
        String user = id("skew");
        String messageId = id("m");
        Instant timestamp = Instant.parse("2024-06-01T10:00:00Z");
        Instant sentAt = timestamp.plus(Duration.ofHours(1));
        Instant before = Instant.now();
        accepted(post(Api.WRITE_KEY, "/v1/track", obj("messageId", messageId, "userId", user, "event", "Skewed Event",
                "timestamp", timestamp, "sentAt", sentAt)), 1, 0);
        Instant after = Instant.now();
        Instant lowest = before.minus(Duration.between(timestamp, sentAt)).minusSeconds(1);
        Instant highest = after.minus(Duration.between(timestamp, sentAt)).plusSeconds(1);

        Map<String, Object> stored = E2e.rows(db, "SELECT event_time, received_at FROM ingest_message WHERE message_id = ?", messageId).get(0);
        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        SoftAssertions s = new SoftAssertions();
        s.assertThat(E2e.instantAt(stored, "event_time")).as("ingest_message.event_time").isBetween(lowest, highest);
        s.assertThat(instant(p, "firstSeen")).as("firstSeen").isBetween(lowest, highest);
        s.assertThat(instant(p, "stageSince")).as("stageSince (ACQUIRED at the corrected time)").isBetween(lowest, highest);
        s.assertThat(instant(p, "firstSeen")).as("firstSeen equals the stored event time").isEqualTo(E2e.instantAt(stored, "event_time"));
        s.assertAll();
    }

    /** The batch's sentAt corrects messages without their own; a message's own sentAt takes precedence. */
    @Test
    void clockSkewFromBatchEnvelopeSentAt() {
        String user = id("skew-batch");
        String envelopeCorrected = id("m");
        String ownCorrected = id("m");
        Instant envelopeSentAt = Instant.parse("2024-06-01T12:00:00Z");
        Instant ownSentAt = Instant.parse("2024-06-01T08:00:00Z");
        Instant before = Instant.now();
        String body = obj("sentAt", envelopeSentAt, "batch", arr(
                obj("type", "track", "messageId", envelopeCorrected, "userId", user, "event", "A",
                        "timestamp", envelopeSentAt.minus(Duration.ofMinutes(10))),
                obj("type", "track", "messageId", ownCorrected, "userId", user, "event", "B",
                        "timestamp", ownSentAt.minus(Duration.ofMinutes(2)), "sentAt", ownSentAt))).toString();
        accepted(post(Api.WRITE_KEY, "/v1/batch", body), 2, 0);
        Instant after = Instant.now();

        Instant envelopeTime = E2e.instantAt(E2e.rows(db, "SELECT event_time FROM ingest_message WHERE message_id = ?", envelopeCorrected).get(0), "event_time");
        Instant ownTime = E2e.instantAt(E2e.rows(db, "SELECT event_time FROM ingest_message WHERE message_id = ?", ownCorrected).get(0), "event_time");
        SoftAssertions s = new SoftAssertions();
        s.assertThat(envelopeTime).as("event time corrected by the envelope's sentAt (now - 10 min)")
                .isBetween(before.minus(Duration.ofMinutes(10)).minusSeconds(1), after.minus(Duration.ofMinutes(10)).plusSeconds(1));
        s.assertThat(ownTime).as("event time corrected by the message's own sentAt (now - 2 min)")
                .isBetween(before.minus(Duration.ofMinutes(2)).minusSeconds(1), after.minus(Duration.ofMinutes(2)).plusSeconds(1));
        s.assertAll();
        JsonNode p = awaitProfile(Api.READ_KEY, user, p1 -> p1.path("messages").asLong() >= 2);
        assertThat(instant(p, "firstSeen")).as("firstSeen").isEqualTo(envelopeTime);
        assertThat(instant(p, "lastSeen")).as("lastSeen").isEqualTo(ownTime);
    }

    @Test
    void messageWithoutTimestampHappensOnReceipt() {
        String user = id("no-ts");
        String messageId = id("m");
        Instant before = Instant.now();
        accepted(post(Api.WRITE_KEY, "/v1/page", obj("messageId", messageId, "userId", user, "name", "Home")), 1, 0);
        Instant after = Instant.now();

        Map<String, Object> stored = E2e.rows(db, "SELECT event_time, received_at FROM ingest_message WHERE message_id = ?", messageId).get(0);
        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(1, "ACQUIRED"));
        SoftAssertions s = new SoftAssertions();
        s.assertThat(E2e.instantAt(stored, "event_time")).as("ingest_message.event_time").isEqualTo(E2e.instantAt(stored, "received_at"));
        s.assertThat(E2e.instantAt(stored, "event_time")).as("ingest_message.event_time").isBetween(before.minusSeconds(1), after.plusSeconds(1));
        s.assertThat(instant(p, "firstSeen")).as("firstSeen").isEqualTo(E2e.instantAt(stored, "event_time"));
        s.assertThat(instant(p, "stageSince")).as("stageSince").isEqualTo(E2e.instantAt(stored, "event_time"));
        s.assertAll();
    }

    /**
     * Step by step through the API, recent days: two views, a third on another day makes the user
     * ENGAGED, a purchase MONETIZED; stageSince is each deciding message's timestamp, not the wall clock.
     */
    @Test
    void stageWalkStepByStepInEventTime() {
        String user = id("walk-recent");
        Instant day1 = ago(Duration.ofDays(3));
        Instant day2 = day1.plus(Duration.ofDays(1));
        Instant day3 = day2.plus(Duration.ofDays(1));
        Instant purchase = day3.plus(Duration.ofHours(1));

        accepted(post(Api.WRITE_KEY, "/v1/page", obj("messageId", id("m"), "userId", user, "name", "Home", "timestamp", day1)), 1, 0);
        accepted(post(Api.WRITE_KEY, "/v1/page", obj("messageId", id("m"), "userId", user, "name", "Home", "timestamp", day2)), 1, 0);
        JsonNode p = awaitProfile(Api.READ_KEY, user, p1 -> p1.path("messages").asLong() >= 2);
        assertThat(p.path("stage").asText()).as("after views on 2 days").isEqualTo("ACQUIRED");
        assertThat(instant(p, "stageSince")).as("ACQUIRED since").isEqualTo(day1);

        accepted(post(Api.WRITE_KEY, "/v1/page", obj("messageId", id("m"), "userId", user, "name", "Catalog", "timestamp", day3)), 1, 0);
        p = awaitProfile(Api.READ_KEY, user, p1 -> p1.path("messages").asLong() >= 3);
        assertThat(p.path("stage").asText()).as("after views on 3 days").isEqualTo("ENGAGED");
        assertThat(p.path("stageRule").asText()).isEqualTo("engaged");
        assertThat(instant(p, "stageSince")).as("ENGAGED since (event time of the third view)").isEqualTo(day3);

        accepted(post(Api.WRITE_KEY, "/v1/track", obj("messageId", id("m"), "userId", user, "event", "Order Completed",
                "timestamp", purchase, "properties", obj("revenue", 12.5))), 1, 0);
        p = awaitProfile(Api.READ_KEY, user, p1 -> p1.path("messages").asLong() >= 4);
        assertThat(p.path("stage").asText()).as("after the purchase").isEqualTo("MONETIZED");
        assertThat(p.path("stageRule").asText()).isEqualTo("monetized");
        assertThat(instant(p, "stageSince")).as("MONETIZED since").isEqualTo(purchase);
        assertThat(instant(p, "acquiredAt")).as("acquiredAt").isEqualTo(day1);
    }

    /**
     * Through inactivity, in event time: views on 3 days and a purchase 50 days ago, then nothing for
     * 40 days: AT_RISK from 30 days after the purchase; a message 40 days after it REACTIVATES the user.
     * The history is sent in one batch together with a message of today for another user, so that the
     * watermark (shared by all tests) is "now" whatever ran before.
     */
    @Test
    void stageWalkThroughInactivityInEventTime() {
        String user = id("walk");
        Instant base = ago(Duration.ofDays(50)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
        Instant purchase = base.plus(Duration.ofDays(3));
        Instant atRisk = purchase.plus(Duration.ofDays(30));
        Instant comeback = purchase.plus(Duration.ofDays(40));
        String history = obj("batch", arr(
                obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", base),
                obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", base.plus(Duration.ofDays(1))),
                obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", base.plus(Duration.ofDays(2))),
                obj("type", "track", "messageId", id("m"), "userId", user, "event", "Order Completed", "timestamp", purchase,
                        "properties", obj("revenue", 40, "product_id", "sku-7")),
                obj("type", "track", "messageId", id("m"), "userId", id("clock"), "event", "Heartbeat",
                        "timestamp", ago(Duration.ofSeconds(5))))).toString();
        accepted(post(Api.WRITE_KEY, "/v1/batch", history), 5, 0);

        JsonNode p = awaitProfile(Api.READ_KEY, user, stageAfter(4, "AT_RISK"));
        SoftAssertions s = new SoftAssertions();
        s.assertThat(p.path("stageRule").asText()).as("stageRule").isEqualTo("at_risk");
        s.assertThat(instant(p, "stageSince")).as("AT_RISK since (30 days after the last activity, event time)").isEqualTo(atRisk);
        s.assertThat(instant(p, "lastActivityAt")).as("lastActivityAt").isEqualTo(purchase);
        s.assertThat(p.path("purchases").asLong()).as("purchases").isEqualTo(1);
        s.assertAll();

        accepted(post(Api.WRITE_KEY, "/v1/track", obj("messageId", id("m"), "userId", user, "event", "Product Viewed",
                "timestamp", comeback, "properties", obj("product_id", "sku-8"))), 1, 0);
        p = awaitProfile(Api.READ_KEY, user, stageAfter(5, "REACTIVATED"));
        s = new SoftAssertions();
        s.assertThat(p.path("stageRule").asText()).as("stageRule").isEqualTo("reactivated");
        s.assertThat(instant(p, "stageSince")).as("REACTIVATED since (the comeback's timestamp)").isEqualTo(comeback);
        s.assertThat(instant(p, "firstSeen")).as("firstSeen").isEqualTo(base);
        s.assertThat(instant(p, "lastSeen")).as("lastSeen").isEqualTo(comeback);
        s.assertThat(instant(p, "acquiredAt")).as("acquiredAt").isEqualTo(base);
        s.assertThat(p.path("distinctItems").asInt()).as("distinctItems").isEqualTo(2);

        // the whole walk, as decided in the log: every transition at its event time, with its rule
        List<String> walk = new ArrayList<>();
        for (JsonNode e : E2e.events(db, user, "StageChanged")) {
            walk.add(e.path("to").asText() + "@" + instant(e, "at") + " by " + e.path("ruleId").asText());
        }
        s.assertThat(walk).as("StageChanged events of " + user).containsExactly(
                "ACQUIRED@" + base + " by acquired",
                "ENGAGED@" + base.plus(Duration.ofDays(2)) + " by engaged",
                "MONETIZED@" + purchase + " by monetized",
                "AT_RISK@" + atRisk + " by at_risk",
                "REACTIVATED@" + comeback + " by reactivated");
        s.assertAll();
    }

}
