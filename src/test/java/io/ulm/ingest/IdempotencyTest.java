package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No duplicated and no lost effect under concurrent re-sends: the same batch from 16 threads at
 * once is stored exactly once (ingest_message, event store, profile); messages without messageId
 * deduplicate by content; racing batches with distinct messageIds for the same users all land (the
 * transaction of a request that loses a race is retried).
 *
 * <p>Exactness of the profile is checked with a sentinel: after everything else, one more message
 * for the user is sent, and once the profile shows it, every earlier event of that user has been
 * projected (a user's events are processed in order), so the counts must be exact at that point.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class IdempotencyTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final int THREADS = 16;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String WRITE_BASIC = "Basic " + Base64.getEncoder().encodeToString((Api.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static String id(String what) {
        return "idem-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    private static Instant recent(Duration ago) {
        return Instant.now().minus(ago).truncatedTo(ChronoUnit.MILLIS);
    }

    /** Sends {@code bodies.apply(thread)} from {@link #THREADS} threads released at the same instant. */
    private List<E2e.Reply> race(String path, IntFunction<String> bodies) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<E2e.Reply>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            String body = bodies.apply(i);
            futures.add(POOL.submit(() -> {
                ready.countDown();
                go.await();
                return send(path, body);
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<E2e.Reply> replies = new ArrayList<>();
        for (Future<E2e.Reply> f : futures) {
            replies.add(f.get(90, TimeUnit.SECONDS));
        }
        return replies;
    }

    private E2e.Reply send(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", WRITE_BASIC)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new E2e.Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                null, E2e.parse(response.body()), response.body());
    }

    private static int sum(List<E2e.Reply> replies, String field) {
        return replies.stream().mapToInt(r -> r.body().path(field).asInt()).sum();
    }

    private static void allOk(SoftAssertions s, String what, List<E2e.Reply> replies, int perRequest) {
        for (E2e.Reply r : replies) {
            s.assertThat(r.status()).as("%s: status of %s", what, r).isEqualTo(200);
            s.assertThat(r.body().path("accepted").asInt() + r.body().path("duplicates").asInt())
                    .as("%s: accepted + duplicates in %s", what, r).isEqualTo(perRequest);
        }
    }

    /** Messages of each user per event store type: how many events per messageId (every id expected once). */
    private Map<String, Long> eventsPerMessage(List<String> users, String type) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map<String, Object> row : E2e.rows(db, "SELECT convert_from(payload, 'UTF8')::jsonb ->> 'messageId' AS id, count(*) AS n "
                + "FROM domain_event_entry WHERE aggregate_identifier = ANY(?) AND payload_type LIKE ? GROUP BY 1", users, "%" + type)) {
            out.put((String) row.get("id"), ((Number) row.get("n")).longValue());
        }
        return out;
    }

    /** Sends one more message for each user and waits until the profiles show it: then they are complete. */
    private Map<String, JsonNode> settle(Map<String, Long> expectedMessages) {
        ArrayNode messages = arr();
        Instant sentinelAt = recent(Duration.ZERO);
        expectedMessages.keySet().forEach(user -> messages.add(obj("type", "track", "messageId", id("sentinel"), "userId", user,
                "event", "Sentinel", "timestamp", sentinelAt)));
        E2e.Reply r = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", messages));
        assertThat(r.status()).as("sentinels: %s", r).isEqualTo(200);
        Map<String, java.util.function.Predicate<JsonNode>> ready = new LinkedHashMap<>();
        // lastSeen and the counters are one row of user_profile, written together: once lastSeen is the
        // sentinel's (the latest timestamp of the user), the counters include every earlier event
        expectedMessages.keySet().forEach(user -> ready.put(user, p -> {
            Instant lastSeen = E2e.instant(p, "lastSeen");
            return lastSeen != null && !lastSeen.isBefore(sentinelAt);
        }));
        return E2e.awaitProfiles(Api.READ_KEY, ready);
    }

    // ------------------------------------------------------------------------------------------

    /** One round's batch: 5 messages for each of two users, 2 purchases (10 and 5). */
    private static String roundBatch(String u1, String u2, int round, List<String> ids) {
        Instant t = recent(Duration.ofHours(3)).plus(Duration.ofMinutes(10L * round));
        IntFunction<Instant> at = i -> t.plusSeconds(i);
        ArrayNode batch = arr();
        String[] m = new String[10];
        for (int i = 0; i < 10; i++) {
            m[i] = id("r" + round + "m" + i);
            ids.add(m[i]);
        }
        batch.add(obj("type", "page", "messageId", m[0], "userId", u1, "name", "Home", "timestamp", at.apply(0)));
        batch.add(obj("type", "track", "messageId", m[1], "userId", u1, "event", "Product Viewed", "timestamp", at.apply(1),
                "properties", obj("product_id", "sku-" + round)));
        batch.add(obj("type", "track", "messageId", m[2], "userId", u1, "event", "Order Completed", "timestamp", at.apply(2),
                "properties", obj("revenue", 10, "product_id", "sku-" + round)));
        batch.add(obj("type", "screen", "messageId", m[3], "userId", u1, "name", "Cart", "timestamp", at.apply(3)));
        batch.add(obj("type", "track", "messageId", m[4], "userId", u1, "event", "Product Added", "timestamp", at.apply(4)));
        batch.add(obj("type", "identify", "messageId", m[5], "userId", u2, "timestamp", at.apply(5), "traits", obj("round", round)));
        batch.add(obj("type", "page", "messageId", m[6], "userId", u2, "name", "Home", "timestamp", at.apply(6)));
        batch.add(obj("type", "track", "messageId", m[7], "userId", u2, "event", "Order Completed", "timestamp", at.apply(7),
                "properties", obj("revenue", 5)));
        batch.add(obj("type", "track", "messageId", m[8], "userId", u2, "event", "Product Viewed", "timestamp", at.apply(8)));
        batch.add(obj("type", "screen", "messageId", m[9], "userId", u2, "name", "Cart", "timestamp", at.apply(9)));
        return obj("batch", batch).toString();
    }

    @Test
    void sameBatchFromSixteenThreadsIsStoredOnce() throws Exception {
        String u1 = id("u1");
        String u2 = id("u2");
        List<String> ids = new ArrayList<>();
        List<String> batches = new ArrayList<>();
        SoftAssertions s = new SoftAssertions();
        for (int round = 0; round < 3; round++) {
            String body = roundBatch(u1, u2, round, ids);
            batches.add(body);
            List<E2e.Reply> replies = race("/v1/batch", i -> body);
            allOk(s, "round " + round, replies, 10);
            s.assertThat(sum(replies, "accepted")).as("round %d: accepted over all 16 requests", round).isEqualTo(10);
            s.assertThat(sum(replies, "duplicates")).as("round %d: duplicates over all 16 requests", round).isEqualTo(150);
        }
        E2e.Reply again = send("/v1/batch", batches.get(0));
        s.assertThat(again.body().path("duplicates").asInt()).as("round 0 re-sent later: %s", again).isEqualTo(10);
        s.assertThat(again.body().path("accepted").asInt()).as("round 0 re-sent later: %s", again).isZero();

        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE message_id = ANY(?)", ids))
                .as("ingest_message rows").isEqualTo(30);
        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE user_id = ?", u1)).as("ingest_message rows of u1").isEqualTo(15);
        Map<String, Long> activities = eventsPerMessage(List.of(u1, u2), "ActivityRecorded");
        s.assertThat(activities).as("ActivityRecorded events per messageId").hasSize(27);
        s.assertThat(activities.values()).as("ActivityRecorded events per messageId").containsOnly(1L);
        Map<String, Long> traits = eventsPerMessage(List.of(u1, u2), "TraitsUpdated");
        s.assertThat(traits).as("TraitsUpdated events per messageId").hasSize(3);
        s.assertThat(traits.values()).as("TraitsUpdated events per messageId").containsOnly(1L);
        s.assertThat(E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE '%UserAcquired'", u1))
                .as("UserAcquired events of u1").isEqualTo(1);

        Map<String, JsonNode> profiles = settle(Map.of(u1, 16L, u2, 16L));
        JsonNode p1 = profiles.get(u1);
        JsonNode p2 = profiles.get(u2);
        s.assertThat(p1.path("messages").asLong()).as("u1 messages (15 + sentinel)").isEqualTo(16);
        s.assertThat(p1.path("purchases").asLong()).as("u1 purchases").isEqualTo(3);
        s.assertThat(p1.path("revenue").decimalValue()).as("u1 revenue").isEqualByComparingTo("30");
        s.assertThat(p1.path("counts").path("page").path("Home").asLong()).as("u1 counts.page.Home").isEqualTo(3);
        s.assertThat(p1.path("distinctItems").asInt()).as("u1 distinctItems").isEqualTo(3);
        s.assertThat(p1.path("stage").asText()).as("u1 stage (3 purchases in 90 days)").isEqualTo("LOYAL");
        s.assertThat(p2.path("messages").asLong()).as("u2 messages (15 + sentinel)").isEqualTo(16);
        s.assertThat(p2.path("purchases").asLong()).as("u2 purchases").isEqualTo(3);
        s.assertThat(p2.path("revenue").decimalValue()).as("u2 revenue").isEqualByComparingTo("15");
        s.assertThat(p2.path("counts").path("identify").path("").asLong()).as("u2 counts.identify").isEqualTo(3);
        s.assertThat(p2.path("traits").path("round").asInt()).as("u2 traits.round (latest)").isEqualTo(2);
        s.assertAll();
    }

    @Test
    void messagesWithoutMessageIdDeduplicateByContent() throws Exception {
        String user = id("noid");
        String first = obj("userId", user, "event", "No Id", "timestamp", recent(Duration.ofMinutes(20)),
                "properties", obj("revenue", 7, "note", "same bytes")).toString();
        String second = obj("userId", user, "event", "No Id", "timestamp", recent(Duration.ofMinutes(19)),
                "properties", obj("revenue", 7, "note", "same bytes")).toString();
        SoftAssertions s = new SoftAssertions();

        List<E2e.Reply> replies = race("/v1/track", i -> first);
        allOk(s, "16 identical sends", replies, 1);
        s.assertThat(sum(replies, "accepted")).as("accepted over 16 identical sends").isEqualTo(1);
        E2e.Reply again = send("/v1/track", first);
        s.assertThat(again.body().path("duplicates").asInt()).as("identical re-send: %s", again).isEqualTo(1);
        E2e.Reply other = send("/v1/track", second);
        s.assertThat(other.body().path("accepted").asInt()).as("same content, another timestamp: %s", other).isEqualTo(1);
        // the same message twice in one batch, then the batch again
        String page = obj("type", "page", "userId", user, "name", "Twice", "timestamp", recent(Duration.ofMinutes(18))).toString();
        String twice = "{\"batch\":[" + page + "," + page + "]}";
        E2e.Reply batch = send("/v1/batch", twice);
        s.assertThat(batch.body().path("accepted").asInt()).as("identical messages in one batch: %s", batch).isEqualTo(1);
        s.assertThat(batch.body().path("duplicates").asInt()).as("identical messages in one batch: %s", batch).isEqualTo(1);
        E2e.Reply batchAgain = send("/v1/batch", twice);
        s.assertThat(batchAgain.body().path("duplicates").asInt()).as("the batch again: %s", batchAgain).isEqualTo(2);

        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE user_id = ?", user)).as("ingest_message rows").isEqualTo(3);
        Map<String, Long> activities = eventsPerMessage(List.of(user), "ActivityRecorded");
        s.assertThat(activities).as("ActivityRecorded per content id").hasSize(3);
        s.assertThat(activities.values()).as("ActivityRecorded per content id").containsOnly(1L);
        JsonNode p = settle(Map.of(user, 4L)).get(user);
        s.assertThat(p.path("messages").asLong()).as("messages (3 + sentinel)").isEqualTo(4);
        s.assertThat(p.path("counts").path("track").path("No Id").asLong()).as("counts.track['No Id']").isEqualTo(2);
        s.assertThat(p.path("revenue").decimalValue()).as("revenue (no purchase)").isEqualByComparingTo("0");
        s.assertAll();
    }

    /** Distinct messages, same two users, 16 concurrent requests per round: every message is stored. */
    @Test
    void racingBatchesForTheSameUsersLoseNothing() throws Exception {
        String a = id("race-a");
        String b = id("race-b");
        int rounds = 3;
        SoftAssertions s = new SoftAssertions();
        for (int round = 0; round < rounds; round++) {
            int r = round;
            List<E2e.Reply> replies = race("/v1/batch", thread -> racingBatch(a, b, r, thread, false));
            allOk(s, "round " + round, replies, 6);
            s.assertThat(sum(replies, "accepted")).as("round %d: accepted", round).isEqualTo(THREADS * 6);
        }
        long perUser = (long) THREADS * rounds * 3;
        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE user_id = ?", a)).as("ingest_message rows of a").isEqualTo(perUser);
        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE user_id = ?", b)).as("ingest_message rows of b").isEqualTo(perUser);
        Map<String, Long> activities = eventsPerMessage(List.of(a, b), "ActivityRecorded");
        s.assertThat(activities).as("ActivityRecorded per messageId").hasSize((int) (2 * perUser));
        s.assertThat(activities.values()).as("ActivityRecorded per messageId").containsOnly(1L);

        Map<String, JsonNode> profiles = settle(Map.of(a, perUser + 1, b, perUser + 1));
        for (String user : List.of(a, b)) {
            JsonNode p = profiles.get(user);
            s.assertThat(p.path("messages").asLong()).as("%s messages", user).isEqualTo(perUser + 1);
            s.assertThat(p.path("purchases").asLong()).as("%s purchases", user).isEqualTo((long) THREADS * rounds);
            s.assertThat(p.path("revenue").decimalValue()).as("%s revenue", user).isEqualByComparingTo(Long.toString(THREADS * rounds));
            s.assertThat(p.path("counts").path("track").path("Racing View").asLong()).as("%s views", user).isEqualTo((long) THREADS * rounds * 2);
        }
        s.assertAll();
    }

    /**
     * As above, but every message also carries the user's anonymousId and half of the requests list
     * the users in the opposite order: the requests race to create the same identity links in
     * opposite orders. Each link is made once, to its user; nothing is lost.
     */
    @Test
    void racingBatchesLinkingTheSameIdsInOppositeOrdersLoseNothing() throws Exception {
        String a = id("link-a");
        String b = id("link-b");
        SoftAssertions s = new SoftAssertions();
        List<E2e.Reply> replies = race("/v1/batch", thread -> racingBatch(a, b, 0, thread, true));
        allOk(s, "race", replies, 6);
        s.assertThat(sum(replies, "accepted")).as("accepted").isEqualTo(THREADS * 6);
        long perUser = THREADS * 3L;
        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE user_id = ?", a)).as("ingest_message rows of a").isEqualTo(perUser);
        s.assertThat(E2e.count(db, "SELECT count(*) FROM ingest_message WHERE user_id = ?", b)).as("ingest_message rows of b").isEqualTo(perUser);
        s.assertThat(E2e.rows(db, "SELECT linked_id, user_id FROM identity_link WHERE user_id = ANY(?) ORDER BY linked_id", List.of(a, b)))
                .as("identity links").containsExactly(
                        Map.of("linked_id", "anon:" + a + "-anon", "user_id", a),
                        Map.of("linked_id", "anon:" + b + "-anon", "user_id", b));
        s.assertThat(E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ANY(?) AND payload_type LIKE '%IdentityLinked'",
                List.of(a, b))).as("IdentityLinked events").isEqualTo(2);
        Map<String, Long> activities = eventsPerMessage(List.of(a, b), "ActivityRecorded");
        s.assertThat(activities).as("ActivityRecorded per messageId").hasSize((int) (2 * perUser));
        s.assertThat(activities.values()).as("ActivityRecorded per messageId").containsOnly(1L);
        Map<String, JsonNode> profiles = settle(Map.of(a, perUser + 1, b, perUser + 1));
        for (String user : List.of(a, b)) {
            JsonNode p = profiles.get(user);
            s.assertThat(p.path("messages").asLong()).as("%s messages", user).isEqualTo(perUser + 1);
            s.assertThat(p.path("purchases").asLong()).as("%s purchases", user).isEqualTo(THREADS);
            List<String> linked = new ArrayList<>();
            p.path("linkedIds").forEach(n -> linked.add(n.asText()));
            s.assertThat(linked).as("%s linkedIds", user).containsExactly("anon:" + user + "-anon");
        }
        s.assertAll();
    }

    /** 3 messages for each user (2 views, 1 purchase of 1), users in opposite order on odd threads. */
    private static String racingBatch(String a, String b, int round, int thread, boolean withAnonymousIds) {
        Instant t = recent(Duration.ofHours(2)).plus(Duration.ofMinutes(round)).plusMillis(thread * 10L);
        List<ObjectNode> forA = new ArrayList<>();
        List<ObjectNode> forB = new ArrayList<>();
        for (String user : List.of(a, b)) {
            List<ObjectNode> list = user.equals(a) ? forA : forB;
            list.add(obj("type", "track", "messageId", id("race"), "userId", user, "event", "Racing View", "timestamp", t));
            list.add(obj("type", "track", "messageId", id("race"), "userId", user, "event", "Racing View", "timestamp", t.plusMillis(1)));
            list.add(obj("type", "track", "messageId", id("race"), "userId", user, "event", "Order Completed", "timestamp", t.plusMillis(2),
                    "properties", obj("revenue", 1)));
            if (withAnonymousIds) {
                list.forEach(m -> m.put("anonymousId", user + "-anon"));
            }
        }
        ArrayNode batch = arr();
        (thread % 2 == 0 ? forA : forB).forEach(batch::add);
        (thread % 2 == 0 ? forB : forA).forEach(batch::add);
        return obj("batch", batch).toString();
    }
}
