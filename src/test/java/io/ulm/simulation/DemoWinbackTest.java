package io.ulm.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.ingest.IngestService;
import io.ulm.ingest.MessageParser;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.platform.Json;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.winback.WinbackSaga;
import io.ulm.winback.WinbackServices;
import io.ulm.winback.WinbackSteps;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's loop closed: a demo-like live simulation (DemoMode's settings, seeded, small) streamed day by day through
 * the ingestion path while the live win-back saga runs; the simulator reads its treatments from ULM's outbox
 * ({@link OutboxTreatments}) and answers with the configured true effect. Campaign entries and treatments appear, the
 * holdout is never treated, and the treated arms return more than the holdout in ULM's own results.
 */
@QuarkusTest
@TestProfile(DemoWinbackProfile.class)
class DemoWinbackTest {

    @Inject
    IngestService ingest;
    @Inject
    ClockSweep sweep;
    @Inject
    LifecycleClock clock;
    @Inject
    WinbackSteps steps;
    @Inject
    WinbackServices winback;
    @Inject
    SimulationConfig config;
    @Inject
    DataSource db;

    @Test
    void simulatedUsersAnswerTheLiveCampaign() throws Exception {
        SimulationConfig.Demo demo = config.demo();
        SimulationSettings settings = DemoMode.settings(demo, Instant.parse("2024-05-01T00:00:00Z"), winback)
                .withScale(1_000, 100, 70).withSeed(7);
        assertThat(settings.winback().arms()).extracting(SimulationSettings.Arm::name).containsExactly("reminder-then-offer", "reminder-only");
        assertThat(settings.arm("reminder-then-offer").extraReturnProbability()).isEqualTo(0.4);
        assertThat(settings.arm("reminder-only").extraReturnProbability()).isEqualTo(0.2);
        Simulator simulator = new Simulator(settings, new OutboxTreatments(db, settings.idPrefix()));
        long t0 = System.nanoTime();
        while (!simulator.finished()) {
            List<JsonNode> day = new ArrayList<>();
            simulator.advanceTo(simulator.now().plus(Duration.ofDays(1)), m -> day.add(parse(m.json())));
            for (int from = 0; from < day.size(); from += 500) {
                ingest.ingest(day.subList(from, Math.min(day.size(), from + 500)), MessageParser.Envelope.NONE, null, Instant.now(),
                        IngestService.Mode.LIVE);
            }
            // what the scheduled jobs do, at once: inactivity up to the watermark, the waits due (scheduled by the saga
            // on earlier days: every wait is longer than a day), then the saga handles it all before the next poll
            sweep.sweep();
            if (clock.watermark() != null) {
                steps.sweep(clock.watermark());
            }
            E2e.awaitProcessorAtHead(db, WinbackSaga.PROCESSOR, Duration.ofSeconds(60), 20);
        }
        System.out.printf("[demo-winback] %d simulated days in %.1f s%n", settings.days(), (System.nanoTime() - t0) / 1e9);

        Map<String, GroundTruth> truth = simulator.truth().collect(Collectors.toMap(GroundTruth::userId, t -> t));
        List<Map<String, Object>> entries = E2e.rows(db, "SELECT user_id, arm FROM winback_entry WHERE campaign_id = 'winback-default'");
        Map<String, Long> byArm = new HashMap<>();
        entries.forEach(e -> byArm.merge((String) e.get("arm"), 1L, Long::sum));
        long treatments = E2e.count(db, "SELECT count(DISTINCT msg_key) FROM outbox WHERE payload->>'type' = 'WinbackReminderSent'");
        System.out.printf("[demo-winback] entries %s, users treated %d (truth: %d), ignored %d%n", byArm, treatments,
                truth.values().stream().filter(GroundTruth::treated).count(), simulator.ignoredTreatments());
        assertThat(entries.size()).as("campaign entries").isGreaterThan(80);
        assertThat(byArm.getOrDefault("holdout", 0L)).isGreaterThan(12);
        assertThat(treatments).isGreaterThan(60);
        assertThat(simulator.ignoredTreatments()).isZero();

        // the holdout never treated; every user the saga treated is treated in the truth, on her arm
        // (reminders of the last simulated day were written after the simulator's last poll: not applied)
        Instant lastPoll = settings.end().minus(Duration.ofDays(1));
        Set<String> reminded = E2e.rows(db, "SELECT DISTINCT msg_key FROM outbox WHERE payload->>'type' = 'WinbackReminderSent' "
                        + "AND (payload->>'at')::timestamptz < ?", lastPoll.atOffset(java.time.ZoneOffset.UTC)).stream()
                .map(r -> (String) r.get("msg_key")).collect(Collectors.toSet());
        assertThat(truth.values().stream().filter(GroundTruth::treated).count()).as("treated in the truth = reminded before the last poll")
                .isEqualTo(reminded.size());
        for (Map<String, Object> e : entries) {
            GroundTruth t = truth.get((String) e.get("user_id"));
            if ("holdout".equals(e.get("arm"))) {
                assertThat(t.treated()).as(t.userId() + " in the holdout").isFalse();
                assertThat(t.causedReturn()).isFalse();
            } else if (reminded.contains(t.userId())) {
                assertThat(t.treated()).as(t.userId() + " reminded").isTrue();
                assertThat(t.arm()).isEqualTo(e.get("arm"));
            }
        }

        // ULM's results: the treated come back more than the holdout
        JsonNode results = E2e.get(Api.READ_KEY, "/v1/winback/campaigns/winback-default/results").body();
        Map<String, JsonNode> arms = new HashMap<>();
        results.path("arms").forEach(a -> arms.put(a.path("arm").asText(), a));
        System.out.println("[demo-winback] results " + results.path("arms"));
        double holdout = arms.get("holdout").path("returnRate").asDouble();
        assertThat(arms.get("reminder-then-offer").path("returnRate").asDouble()).isGreaterThan(holdout);
        assertThat(arms.get("reminder-only").path("returnRate").asDouble()).isGreaterThan(holdout);
        assertThat(arms.get("reminder-then-offer").path("uplift").path("ciLow").asDouble()).as("the strong arm's uplift is significant")
                .isGreaterThan(0);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
