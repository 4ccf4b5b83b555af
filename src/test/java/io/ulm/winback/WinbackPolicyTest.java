package io.ulm.winback;

import io.ulm.segment.DefinitionException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The shipped policy, the assignment hash, eligibility, tiers, outcomes, and every kind of file error. */
class WinbackPolicyTest {

    static final WinbackPolicy POLICY = WinbackPolicies.load(WinbackPolicies.DEFAULT_DIRECTORY).get("winback-default");
    static final Instant T = Instant.parse("2024-03-01T00:00:00Z");

    @Test
    void shippedPolicyLoads() {
        assertThat(POLICY.triggers()).containsExactlyInAnyOrder(Trigger.AT_RISK, Trigger.CHURN_RISK_RAISED);
        assertThat(POLICY.holdoutShare()).isEqualTo(0.2);
        assertThat(POLICY.arms()).extracting(Arm::id).containsExactly("reminder-then-offer", "reminder-only");
        assertThat(POLICY.steps("reminder-then-offer")).containsExactly(new Step.Reminder(5),
                new Step.Wait(Duration.ofDays(3)), new Step.Offer(null), new Step.Wait(Duration.ofDays(7)));
        assertThat(POLICY.steps(Assignment.HOLDOUT)).isEmpty();
        assertThat(POLICY.arm("reminder-then-offer").duration()).isEqualTo(Duration.ofDays(10));
        assertThat(POLICY.outcomeWindow()).isEqualTo(Duration.ofDays(14));
        assertThat(POLICY.eligibility().minClv()).isEqualByComparingTo("20");
        assertThat(POLICY.eligibility().cooldown()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void assignmentIsTheDocumentedHash() {
        // SHA-256("winback-default" 0x00 "user-1") starts 17c5561b66424722: (0x17c5561b66424722 >>> 11)·2⁻⁵³ = 0.0928549
        assertThat(WinbackPolicy.uniform("winback-default", "user-1")).isCloseTo(0.09285486382419439, within(1e-15));
        assertThat(WinbackPolicy.uniform("c", "u")).isCloseTo(0.37135755982353547, within(1e-15));
        Assignment a = POLICY.assign("user-1");
        assertThat(a.holdout()).isTrue();                        // 0.093 < 0.2
        assertThat(POLICY.assign("user-1")).isEqualTo(a);        // stable
    }

    @Test
    void assignmentSharesFollowHoldoutAndWeights() {
        Map<String, Integer> counts = new HashMap<>();
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            counts.merge(POLICY.assign("u" + i).arm(), 1, Integer::sum);
        }
        // expected 0.2, 0.8·2/3, 0.8·1/3; 5 binomial standard errors (≤ 0.0026) as tolerance
        assertThat(counts.get("holdout") / (double) n).isCloseTo(0.2, within(0.009));
        assertThat(counts.get("reminder-then-offer") / (double) n).isCloseTo(0.8 * 2 / 3, within(0.01));
        assertThat(counts.get("reminder-only") / (double) n).isCloseTo(0.8 / 3, within(0.01));
    }

    @Test
    void eligibilityReasonsInOrder() {
        Facts ok = Facts.of("u", Trigger.AT_RISK, T, 100, Set.of("rfm:at-risk"));
        assertThat(POLICY.eligible(ok)).isEqualTo(new Decision(true, Decision.Reason.ELIGIBLE, "eligible"));
        assertThat(POLICY.eligible(Facts.of("u", Trigger.CHURN_RISK_RAISED, T, 100, Set.of())).eligible()).isTrue();
        assertThat(reason(new Facts("u", Trigger.AT_RISK, T, 100, Set.of(), true, true, true, null)))
                .isEqualTo(Decision.Reason.ERASED);
        assertThat(reason(new Facts("u", Trigger.AT_RISK, T, 5, Set.of(), true, false, true, null)))
                .isEqualTo(Decision.Reason.UNSUBSCRIBED);
        assertThat(reason(new Facts("u", Trigger.AT_RISK, T, 5, Set.of(), false, false, true, null)))
                .isEqualTo(Decision.Reason.ACTIVE_WINBACK);
        Instant ended = T.minus(Duration.ofDays(89));
        assertThat(reason(new Facts("u", Trigger.AT_RISK, T, 100, Set.of(), false, false, false, ended)))
                .isEqualTo(Decision.Reason.COOLDOWN);
        assertThat(reason(new Facts("u", Trigger.AT_RISK, T, 100, Set.of(), false, false, false, T.minus(Duration.ofDays(90)))))
                .isEqualTo(Decision.Reason.ELIGIBLE);
        assertThat(reason(Facts.of("u", Trigger.AT_RISK, T, 19.99, Set.of()))).isEqualTo(Decision.Reason.BELOW_MIN_CLV);
        assertThat(reason(Facts.of("u", Trigger.AT_RISK, T, 100, Set.of("rfm:new")))).isEqualTo(Decision.Reason.EXCLUDED_SEGMENT);
        WinbackPolicy onlyAtRisk = WinbackPolicy.parse("p.yaml", """
                campaign: c
                trigger: AT_RISK
                eligibility: { segments: { anyOf: [rfm:at-risk] }, suppressUnsubscribed: false }
                holdout: 0
                arms: [ { id: a, steps: [ { reminder: { items: 3 } } ] } ]
                outcome: { window: P7D }
                """);
        assertThat(onlyAtRisk.eligible(Facts.of("u", Trigger.CHURN_RISK_RAISED, T, 0, Set.of())).reason())
                .isEqualTo(Decision.Reason.NOT_A_TRIGGER);
        assertThat(onlyAtRisk.eligible(Facts.of("u", Trigger.AT_RISK, T, 0, Set.of("rfm:lost"))).reason())
                .isEqualTo(Decision.Reason.NOT_IN_SEGMENT);
        assertThat(onlyAtRisk.eligible(new Facts("u", Trigger.AT_RISK, T, 0, Set.of("rfm:at-risk"), true, false, false, null))
                .eligible()).as("unsubscribed not suppressed by this policy").isTrue();
        assertThat(onlyAtRisk.assign("anyone").arm()).isEqualTo("a");
    }

    private static Decision.Reason reason(Facts f) {
        return POLICY.eligible(f).reason();
    }

    @Test
    void tiersFirstMatchWins() {
        assertThat(POLICY.tier(800, Set.of("rfm:cant-lose")).id()).isEqualTo("gold");
        assertThat(POLICY.tier(100, Set.of("rfm:cant-lose")).id()).isEqualTo("silver");
        assertThat(POLICY.tier(499.99, Set.of("rfm:at-risk")).id()).isEqualTo("standard");
        assertThat(POLICY.tier(500, Set.of()).discount()).isEqualByComparingTo(new BigDecimal("0.20"));
    }

    @Test
    void outcomeWithinTheWindow() {
        Instant end = T.plus(Duration.ofDays(14));
        assertThat(POLICY.outcome(T, T.plus(Duration.ofDays(2)), T.plus(Duration.ofDays(2)))).isEqualTo(Outcome.WON_BACK);
        assertThat(POLICY.outcome(T, null, end.minusMillis(1))).isEqualTo(Outcome.PENDING);
        assertThat(POLICY.outcome(T, null, end)).isEqualTo(Outcome.LOST);
        assertThat(POLICY.outcome(T, end, end)).as("the window end is exclusive").isEqualTo(Outcome.LOST);
    }

    @Test
    void badFilesNameFileLineAndProblem() {
        String good = """
                campaign: c
                trigger: [AT_RISK]
                holdout: 0.2
                arms:
                  - id: a
                    steps:
                      - reminder: { items: 5 }
                      - wait: P3D
                tiers:
                  - id: t
                    discount: 0.1
                outcome:
                  window: P14D
                """;
        assertThat(WinbackPolicy.parse("ok.yaml", good).campaignId()).isEqualTo("c");
        error(good.replace("holdout: 0.2", "holdout: 1.5"), "f.yaml:3:10: holdout is a share in [0, 1), got 1.5");
        error(good.replace("trigger: [AT_RISK]", "trigger: [AT_RISK, DORMANT]"),
                "f.yaml:2:20: unknown trigger \"DORMANT\" (triggers: [AT_RISK, CHURN_RISK_RAISED])");
        error(good.replace("wait: P3D", "wait: 3 days"),
                "f.yaml:8:15: expected an ISO-8601 duration such as P3D or PT12H, got \"3 days\"");
        error(good.replace("wait: P3D", "wait: P30D"),
                "f.yaml:7:7: the steps wait P30D in all, longer than the outcome window P14D (LOST must come after the last step)");
        error(good.replace("reminder: { items: 5 }", "remind: { items: 5 }"),
                "f.yaml:7:9: a step is a mapping with exactly one of reminder, offer, wait (e.g. '- wait: P3D')");
        error(good.replace("items: 5", "items: 500"), "f.yaml:7:28: items is a whole number from 1 to 50, got 500");
        error(good.replace("      - wait: P3D", "      - offer: { tier: platinum }"), "f.yaml:8:24: unknown tier 'platinum'");
        error(good.replace("    discount: 0.1", "    discount: 0.1\n    when: { minClv: 10 }"),
                "f.yaml:10:5: the last tier must have no 'when' (the default tier)");
        error(good.replace("  - id: a", "  - id: holdout"), "f.yaml:5:9: 'holdout' is reserved (the holdout is 'holdout: <share>')");
        error(good.replace("outcome:\n  window: P14D\n", ""), "f.yaml:1:1: missing key 'outcome' (the outcome window)");
        error(good + "colour: blue\n", "f.yaml:14:9: unknown key 'colour' (allowed: campaign, name, description, trigger, "
                + "eligibility, holdout, arms, tiers, outcome)");
        error(good.replace("campaign: c", "campaign: c\ncampaign: d"), "f.yaml:2:");    // duplicate key: YAML syntax error
        error(good.replace("  - id: a\n", "  - id: a\n    weight: 0\n"), "f.yaml:6:13: weight must be > 0, got 0.0");
    }

    private static void error(String text, String message) {
        assertThatThrownBy(() -> WinbackPolicy.parse("f.yaml", text)).isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aCampaignIsDefinedOnce(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String text = "campaign: c\ntrigger: AT_RISK\nholdout: 0\narms: [{id: a, steps: [{reminder: {items: 1}}]}]\noutcome: {window: P1D}\n";
        java.nio.file.Files.writeString(dir.resolve("a.yaml"), text);
        java.nio.file.Files.writeString(dir.resolve("b.yml"), text);
        assertThatThrownBy(() -> WinbackPolicies.load(dir)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("b.yml:1:1: campaign 'c' is already defined in").hasMessageContaining("a.yaml");
        assertThat(List.of(dir.resolve("a.yaml"))).isNotEmpty();
    }
}
