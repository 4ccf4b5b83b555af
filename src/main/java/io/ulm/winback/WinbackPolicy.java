package io.ulm.winback;

import io.ulm.segment.DefinitionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A win-back campaign as declared in a YAML file under {@code projections/winback/} (format: docs/winback.md). Pure:
 * no clock, no I/O after loading, so the saga, the backtest and the tests ask it the same questions.
 *
 * @param file          where it was read from (for messages)
 * @param triggers      which triggers start a candidate
 * @param holdoutShare  share of entrants deliberately not treated, in [0, 1)
 * @param arms          treatment arms, weights relative to each other
 * @param tiers         offer value tiers, first match wins, the last one unconditional (may be empty without offers)
 * @param outcomeWindow WON_BACK if active again within this after entry; at least every arm's total wait
 */
public record WinbackPolicy(String campaignId, String name, String file, Set<Trigger> triggers, Eligibility eligibility,
                            double holdoutShare, List<Arm> arms, List<Tier> tiers, Duration outcomeWindow) {

    public WinbackPolicy {
        triggers = Set.copyOf(triggers);
        arms = List.copyOf(arms);
        tiers = List.copyOf(tiers);
    }

    /** Parses a policy; a bad one throws a {@link DefinitionException} {@code <file>:<line>:<column>: <problem>}. */
    public static WinbackPolicy parse(String file, String text) {
        return PolicyParser.parse(file, text);
    }

    public static WinbackPolicy load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read win-back policy " + file, e);
        }
    }

    /**
     * Deterministic assignment: u = the first 8 bytes of SHA-256(UTF-8(campaignId) ‖ 0x00 ‖ UTF-8(userId)) as an
     * unsigned big-endian integer, its top 53 bits × 2⁻⁵³ (uniform in [0, 1)). u &lt; holdoutShare: holdout; else
     * r = (u − h)/(1 − h) picks the first arm whose cumulative weight share exceeds r. Stable across runs, nodes
     * and replays; independent between campaigns. Changing the holdout share or the weights moves users.
     */
    public Assignment assign(String userId) {
        double u = uniform(campaignId, userId);
        if (u < holdoutShare) {
            return new Assignment(campaignId, userId, Assignment.HOLDOUT, u);
        }
        double r = (u - holdoutShare) / (1 - holdoutShare);
        double total = arms.stream().mapToDouble(Arm::weight).sum();
        double cumulative = 0;
        for (Arm arm : arms) {
            cumulative += arm.weight() / total;
            if (r < cumulative) {
                return new Assignment(campaignId, userId, arm.id(), u);
            }
        }
        return new Assignment(campaignId, userId, arms.get(arms.size() - 1).id(), u);   // r within rounding of 1
    }

    /** The hash point of (campaign, user) in [0, 1), see {@link #assign}. */
    public static double uniform(String campaignId, String userId) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        sha.update(campaignId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] h = sha.digest(userId.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return (v >>> 11) * 0x1.0p-53;
    }

    /**
     * May she enter? Checked in this order, the first failure is the reason: trigger, suppression (erased,
     * unsubscribed), frequency cap (a running win-back, then the cooldown after the last one), min CLV, segments.
     */
    public Decision eligible(Facts facts) {
        Eligibility e = eligibility;
        if (!triggers.contains(facts.trigger())) {
            return Decision.no(Decision.Reason.NOT_A_TRIGGER, facts.trigger() + " does not start " + campaignId);
        }
        if (facts.erased()) {
            return Decision.no(Decision.Reason.ERASED, "her personal data was erased");
        }
        if (e.suppressUnsubscribed() && facts.unsubscribed()) {
            return Decision.no(Decision.Reason.UNSUBSCRIBED, "trait unsubscribed is true");
        }
        if (facts.activeWinback()) {
            return Decision.no(Decision.Reason.ACTIVE_WINBACK, "a win-back of " + campaignId + " is running");
        }
        if (facts.lastWinbackEndedAt() != null && facts.at().isBefore(facts.lastWinbackEndedAt().plus(e.cooldown()))) {
            return Decision.no(Decision.Reason.COOLDOWN, "the last win-back ended at " + facts.lastWinbackEndedAt()
                    + ", cooldown " + e.cooldown());
        }
        if (e.minClv() != null && facts.clv() < e.minClv().doubleValue()) {
            return Decision.no(Decision.Reason.BELOW_MIN_CLV, "CLV " + facts.clv() + " < " + e.minClv().toPlainString());
        }
        if (!e.anyOfSegments().isEmpty() && e.anyOfSegments().stream().noneMatch(facts.segments()::contains)) {
            return Decision.no(Decision.Reason.NOT_IN_SEGMENT, "in none of " + e.anyOfSegments());
        }
        for (String s : facts.segments()) {
            if (e.noneOfSegments().contains(s)) {
                return Decision.no(Decision.Reason.EXCLUDED_SEGMENT, "in excluded segment " + s);
            }
        }
        return Decision.yes();
    }

    public Arm arm(String id) {
        return arms.stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("campaign " + campaignId + " has no arm " + id));
    }

    /** The steps of an arm; the holdout has none. */
    public List<Step> steps(String armId) {
        return Assignment.HOLDOUT.equals(armId) ? List.of() : arm(armId).steps();
    }

    /** Her offer tier: the first tier whose conditions hold (the last one is unconditional). */
    public Tier tier(double clv, Set<String> segments) {
        if (tiers.isEmpty()) {
            throw new IllegalStateException("campaign " + campaignId + " defines no tiers (it has no offer step)");
        }
        return tiers.stream().filter(t -> t.matches(clv, segments)).findFirst().orElse(tiers.get(tiers.size() - 1));
    }

    /** The tier of an offer step: the pinned one, or {@link #tier(double, Set)}. */
    public Tier tier(Step.Offer offer, double clv, Set<String> segments) {
        if (offer.pinnedTier() == null) {
            return tier(clv, segments);
        }
        return tiers.stream().filter(t -> t.id().equals(offer.pinnedTier())).findFirst().orElseThrow();
    }

    /** The end of the outcome window of a user who entered at {@code enteredAt} (exclusive). */
    public Instant windowEnd(Instant enteredAt) {
        return enteredAt.plus(outcomeWindow);
    }

    /**
     * Her outcome at event time {@code now}: WON_BACK if her first activity after entry ({@code firstActivityAt},
     * null: none yet) is in [enteredAt, windowEnd), LOST once {@code now} ≥ windowEnd without, else PENDING.
     */
    public Outcome outcome(Instant enteredAt, Instant firstActivityAt, Instant now) {
        Instant end = windowEnd(enteredAt);
        if (firstActivityAt != null && !firstActivityAt.isBefore(enteredAt) && firstActivityAt.isBefore(end)) {
            return Outcome.WON_BACK;
        }
        return now.isBefore(end) ? Outcome.PENDING : Outcome.LOST;
    }
}
