package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.support.Api;
import io.ulm.support.E2e;

import javax.sql.DataSource;
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
 * Drives win-back sagas through the REST API in event time on the shared database (the technique of WinbackSagaTest:
 * a message of "now" for another user moves the shared clock; a customer whose last order was d days ago is AT_RISK
 * since d − 30 days).
 */
final class SagaDriver {

    static final Instant NOON = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final DataSource db;
    private final WinbackSteps steps;
    private final LifecycleClock clock;

    SagaDriver(DataSource db, WinbackSteps steps, LifecycleClock clock) {
        this.db = db;
        this.steps = steps;
        this.clock = clock;
    }

    static String id(String what) {
        return "wb-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    /** A fresh user id that {@code policy}'s hash puts in {@code arm}. */
    static String userIn(WinbackPolicy policy, String what, String arm) {
        while (true) {
            String user = id(what);
            if (policy.assign(user).arm().equals(arm)) {
                return user;
            }
        }
    }

    static Instant day(int daysAgo) {
        return NOON.minus(Duration.ofDays(daysAgo));
    }

    static Instant now() {
        return Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    }

    static JsonNode order(String user, Instant at, double revenue) {
        return obj("type", "track", "messageId", id("m"), "userId", user, "event", "Order Completed", "timestamp", at,
                "properties", obj("revenue", revenue, "currency", "EUR", "products", arr(obj("product_id", "sku-1", "price", revenue))));
    }

    static JsonNode clockTick() {
        return obj("type", "track", "messageId", id("m"), "userId", id("clock"), "event", "Heartbeat", "timestamp", now());
    }

    /** A customer (one page, one order of {@code revenue} at {@code lastOrder}) and a message of now that decides up to now. */
    void customer(String user, Instant lastOrder, double revenue) {
        send(obj("type", "page", "messageId", id("m"), "userId", user, "name", "Home", "timestamp", lastOrder.minus(Duration.ofDays(2))),
                order(user, lastOrder, revenue), clockTick());
    }

    static void send(JsonNode... messages) {
        ArrayNode batch = arr();
        for (JsonNode m : messages) {
            batch.add(m);
        }
        E2e.Reply r = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", batch));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    List<JsonNode> actions(String user) {
        return E2e.rows(db, "SELECT payload::text AS p FROM outbox WHERE msg_key = ? ORDER BY id", user).stream()
                .map(row -> E2e.parse((String) row.get("p"))).toList();
    }

    List<String> types(String user) {
        return actions(user).stream().map(a -> a.path("type").asText()).toList();
    }

    static void await(String what, BooleanSupplier done) {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(until);
            E2e.sleep(100);
        }
    }

    /** Her episodes' rows, oldest first. */
    List<Map<String, Object>> episodes(String user) {
        return E2e.rows(db, "SELECT * FROM winback_entry WHERE user_id = ? ORDER BY entered_at", user);
    }

    String outcome(String user) {
        List<Map<String, Object>> rows = episodes(user);
        return rows.isEmpty() ? null : (String) rows.get(rows.size() - 1).get("outcome");
    }

    void sweep() {
        steps.sweep(clock.watermark());
    }

    /**
     * Moves {@code user}'s episode to its end in event time: her steps are woken as if the watermark had passed them
     * (without moving the shared clock or waking anyone else's), one step per sweep, until the episode ended.
     */
    void wakeUntilEnded(String user) {
        wakeUntilEnded(steps, db, user);
    }

    static void wakeUntilEnded(WinbackSteps steps, DataSource db, String user) {
        Instant far = NOON.plus(Duration.ofDays(365));
        await("the outcome of " + user, () -> {
            steps.sweep(far, user);
            List<Map<String, Object>> rows = E2e.rows(db, "SELECT outcome FROM winback_entry WHERE user_id = ? ORDER BY entered_at DESC", user);
            return !rows.isEmpty() && rows.get(0).get("outcome") != null;
        });
    }

    /** Her steps not sent because they were history when judged: "type@at" in step order. */
    List<String> skipped(String user) {
        return E2e.rows(db, "SELECT type, at FROM winback_skipped WHERE user_id = ? ORDER BY step", user).stream()
                .map(r -> r.get("type") + "@" + E2e.instantAt(r, "at")).toList();
    }

}
