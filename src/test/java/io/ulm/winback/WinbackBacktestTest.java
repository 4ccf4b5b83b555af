package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.analytics.AnalyticsProfile;
import io.ulm.catalogue.SharedData;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.Imports;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default campaign backtested over Online Retail (the analytics tests' own database, which holds it; imported here
 * if this class runs first): the report's totals agree with the log and with themselves, a sample of episodes is
 * recomputed from the raw events (return within the window, no step after her return, offer value), and the live
 * saga's tables, outbox and Kafka relay see nothing of it.
 */
@QuarkusTest
@TestProfile(AnalyticsProfile.class)
class WinbackBacktestTest {

    private static final String[] LIVE = {"winback_entry", "outbox", "winback_skipped", "winback_step", "winback_saga",
            "winback_saga_association"};

    @Inject
    Imports imports;
    @Inject
    ProjectionProgress progress;
    @Inject
    DataSource db;
    @Inject
    LifecycleClock clock;
    @Inject
    WinbackSteps steps;

    @Test
    void backtestOnOnlineRetail() throws Exception {
        long imported = System.nanoTime();
        if (E2e.count(db, "SELECT count(*) FROM ingest_message") < 26_000) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.path(SharedData.RETAIL)), 1 << 16)) {
                assertThat(imports.csv(in, CsvMapping.load("online-retail"), "test", null).rejected()).isZero();
            }
        }
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
        System.out.printf("[backtest] Online Retail present after %.1f s%n", (System.nanoTime() - imported) / 1e9);
        long rest = System.nanoTime();
        awaitLiveSagaAtRest();
        System.out.printf("[backtest] live saga at rest after %.1f s%n", (System.nanoTime() - rest) / 1e9);
        Map<String, Long> before = live();

        long t0 = System.nanoTime();
        E2e.Reply reply = E2e.post(Api.ADMIN_KEY, "/v1/winback/campaigns/winback-default/backtest", E2e.obj());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        JsonNode r = reply.body();
        System.out.printf("[backtest] %.1f s: users %d, triggers %d, entered %d, skipped %s, holdout natural return %.4f, actions %d%n",
                seconds, r.path("users").asLong(), r.path("triggers").asLong(), r.path("entered").asLong(), r.path("skipped"),
                r.path("holdoutNaturalReturnRate").asDouble(), r.path("actions").asLong());
        r.path("arms").forEach(a -> System.out.println("[backtest] " + a));

        // nothing of it reached the live state
        assertThat(live()).isEqualTo(before);
        long run = r.path("runId").asLong();
        assertThat(E2e.count(db, "SELECT count(*) FROM winback_backtest_action WHERE backtest_id = ?", run)).isEqualTo(r.path("actions").asLong());

        // totals: every AT_RISK transition in the log is a trigger; entered + skipped = triggers; arms and weeks add up
        long atRisk = E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE payload_type = 'io.ulm.lifecycle.api.StageChanged' "
                + "AND convert_from(payload, 'UTF8')::jsonb->>'to' = 'AT_RISK'");
        long churnRisk = E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE payload_type = 'io.ulm.lifecycle.api.ChurnRiskRaised'");
        long entered = r.path("entered").asLong();
        assertThat(r.path("triggers").asLong()).isEqualTo(atRisk + churnRisk);
        long skipped = 0;
        for (JsonNode n : r.path("skipped")) {
            skipped += n.asLong();
        }
        assertThat(entered + skipped).isEqualTo(r.path("triggers").asLong());
        assertThat(entered).as("Online Retail customers at risk").isGreaterThan(1_000);
        long sum = 0;
        JsonNode holdout = r.path("arms").get(0);
        for (JsonNode a : r.path("arms")) {
            sum += a.path("entered").asLong();
            assertThat(a.path("decided").asLong() + a.path("pending").asLong()).isEqualTo(a.path("entered").asLong());
        }
        assertThat(sum).isEqualTo(entered);
        long weekly = 0;
        for (JsonNode w : r.path("weeks")) {
            weekly += w.path("entered").asLong();
            assertThat(w.path("week").asText()).isBetween("2009-01-01", "2011-12-31");
        }
        assertThat(weekly).isEqualTo(entered);
        assertThat(holdout.path("arm").asText()).isEqualTo("holdout");
        double share = holdout.path("entered").asLong() / (double) entered;
        assertThat(share).as("holdout share of the hash assignment").isBetween(0.2 - 4 * Math.sqrt(0.16 / entered), 0.2 + 4 * Math.sqrt(0.16 / entered));
        assertThat(holdout.path("offers").asLong()).isZero();
        assertThat(r.path("holdoutNaturalReturnRate").asDouble())
                .isEqualTo(holdout.path("returned").asLong() / (double) holdout.path("decided").asLong());
        JsonNode offerArm = r.path("arms").get(1);
        assertThat(offerArm.path("arm").asText()).isEqualTo("reminder-then-offer");
        assertThat(offerArm.path("offers").asLong()).isPositive();
        assertThat(offerArm.path("offerValue").decimalValue()).isPositive();

        // a sample of episodes recomputed from her raw events
        List<Map<String, Object>> sample = E2e.rows(db, "SELECT user_id, at, arm, payload::text AS p FROM winback_backtest_action "
                + "WHERE backtest_id = ? AND type = 'WinbackStarted' ORDER BY user_id, at LIMIT 40", run);
        assertThat(sample).hasSize(40);
        Instant end = Instant.parse(r.path("historyEnd").asText());
        for (Map<String, Object> s : sample) {
            String user = (String) s.get("user_id");
            Instant at = E2e.instantAt(s, "at");
            List<JsonNode> activity = E2e.events(db, user, "ActivityRecorded");
            Instant back = activity.stream().map(a -> E2e.instant(a, "at")).filter(t -> !t.isBefore(at)).min(Instant::compareTo).orElse(null);
            boolean won = back != null && back.isBefore(at.plus(Duration.ofDays(14))) && back.isBefore(end);
            List<Map<String, Object>> ended = E2e.rows(db, "SELECT payload::text AS p FROM winback_backtest_action WHERE backtest_id = ? "
                    + "AND action_id = ?", run, "winback-default:" + user + ":" + at + ":ended");
            if (!won && at.plus(Duration.ofDays(14)).isAfter(end)) {
                assertThat(ended).as(user + ": her window outlasts the history, still pending").isEmpty();
            } else {
                assertThat(ended).as(user).hasSize(1);
                assertThat(E2e.parse((String) ended.get(0).get("p")).path("outcome").asText()).as(user + " entered " + at)
                        .isEqualTo(won ? "WON_BACK" : "LOST");
            }
            for (Map<String, Object> step : E2e.rows(db, "SELECT at, type, payload::text AS p FROM winback_backtest_action WHERE backtest_id = ? "
                    + "AND action_id LIKE ?", run, "winback-default:" + user + ":" + at + ":step:%")) {
                if (won) {
                    assertThat(E2e.instantAt(step, "at")).as("no step after her return").isBefore(back);
                }
                if ("WinbackOfferSent".equals(step.get("type"))) {
                    List<BigDecimal> orders = activity.stream().filter(a -> a.path("kind").path("purchase").asBoolean()
                            && E2e.instant(a, "at").isBefore(at)).map(a -> a.path("revenue").decimalValue()).toList();
                    BigDecimal mean = orders.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(orders.size()), 6, RoundingMode.HALF_UP);
                    JsonNode offer = E2e.parse((String) step.get("p"));
                    assertThat(offer.path("cost").decimalValue()).isEqualByComparingTo(
                            offer.path("discount").decimalValue().multiply(mean).setScale(2, RoundingMode.HALF_UP));
                }
            }
        }
        // an unknown campaign, and the role
        assertThat(E2e.post(Api.ADMIN_KEY, "/v1/winback/campaigns/nope/backtest", E2e.obj()).status()).isEqualTo(404);
        assertThat(E2e.post(Api.READ_KEY, "/v1/winback/campaigns/winback-default/backtest", E2e.obj()).status()).isEqualTo(403);
    }

    private Map<String, Long> live() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : LIVE) {
            counts.put(table, E2e.count(db, "SELECT count(*) FROM " + table));
        }
        counts.put("sent", E2e.count(db, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"));
        return counts;
    }

    /** The live saga handled the whole log and has no step due: nothing changes its tables until new events come. */
    private void awaitLiveSagaAtRest() {
        Instant until = Instant.now().plus(Duration.ofMinutes(3));
        java.util.function.BooleanSupplier atRest = () -> {
            steps.sweep(clock.watermark());
            long head = E2e.count(db, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
            boolean atHead = E2e.rows(db, "SELECT convert_from(token, 'UTF8') AS t FROM token_entry WHERE processor_name = ?",
                    WinbackSaga.PROCESSOR).stream().allMatch(row -> index((String) row.get("t")) >= head);
            return atHead && E2e.count(db, "SELECT count(*) FROM winback_step WHERE due_at <= ?",
                    clock.watermark().atOffset(java.time.ZoneOffset.UTC)) == 0;
        };
        while (!atRest.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for the live saga to handle the history").isBefore(until);
            E2e.sleep(500);
        }
    }

    private static long index(String token) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"index\"\\s*:\\s*(\\d+)").matcher(token == null ? "" : token);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
