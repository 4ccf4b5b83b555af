package io.ulm.winback;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-arm results of a campaign (docs/winback.md, "Results"), pure: from the episodes ({@code winback_entry}),
 * the users messaged (the outbox) and the returned users' purchases (the log). The unit is the user: her arm is the
 * one of her first episode, she <b>returned</b> if any of her episodes ended WON_BACK (credited once, however many
 * episodes), and rates are over the users with at least one decided episode (running ones are not yet known).
 * <b>Historic</b> episodes (over more than stale-after before the watermark when judged: nothing was sent, docs/winback.md "History") are counted
 * apart and in nothing else: a treated arm's historic user was never treated.
 */
public final class CampaignResults {

    /** One episode of {@code winback_entry}. */
    public record Episode(String userId, String arm, Instant enteredAt, Instant endedAt, Outcome outcome, boolean historic) {
        public Episode(String userId, String arm, Instant enteredAt, Instant endedAt, Outcome outcome) {
            this(userId, arm, enteredAt, endedAt, outcome, false);
        }
    }

    /** A purchase (positive) or refund (negative amount) of a returned user, at event time. */
    public record Money(Instant at, BigDecimal amount) {
    }

    /** An arm against the holdout: the difference of return rates with its interval (null for the holdout itself). */
    public record Uplift(double difference, double ciLow, double ciHigh, Double relativeLift, double pValue, double pHolm,
                         boolean significant, boolean significantHolm) {
    }

    /**
     * @param entered            users who entered the arm (episodes of the campaign, holdout included)
     * @param running            of them, users whose only episodes are still running (not in the rates)
     * @param decided            users with a decided episode: the denominator of the rates
     * @param messaged           users who got at least one reminder or offer
     * @param returned           users with a WON_BACK episode (each once)
     * @param returnRate         returned / decided (null when none decided)
     * @param revenueAfterReturn purchases − refunds of the returned users from their (first) return to the end of
     *                           that episode's outcome window
     * @param revenuePerDecided  revenueAfterReturn / decided (null when none decided)
     * @param skipped            steps of these users' live episodes not sent because they were history when judged
     * @param historic           users with a historic episode in this arm (not in any count above)
     * @param historicReturned   of them, users whose historic episode ended WON_BACK: a natural return, nothing was sent
     */
    public record ArmResult(String arm, boolean holdout, long entered, long running, long decided, long messaged,
                            long reminders, long offers, long skipped, long returned, Double returnRate,
                            BigDecimal revenueAfterReturn, Double revenuePerDecided, long historic, long historicReturned,
                            Uplift uplift) {
    }

    /** {@code entered}: users of live episodes; {@code historic}: users of historic ones (docs/winback.md "History"). */
    public record Results(String campaignId, String name, String window, double confidence, long entered, long historic,
                          List<ArmResult> arms) {
    }

    /** Reminders and offers per user of the campaign, from the outbox; steps skipped as history per user. */
    public record Messages(Map<String, Long> reminders, Map<String, Long> offers, Map<String, Long> skipped) {
        public Messages(Map<String, Long> reminders, Map<String, Long> offers) {
            this(reminders, offers, Map.of());
        }

        public Set<String> users() {
            Set<String> all = new java.util.HashSet<>(reminders.keySet());
            all.addAll(offers.keySet());
            return all;
        }
    }

    private CampaignResults() {
    }

    public static Results compute(WinbackPolicy policy, List<Episode> episodes, Messages messages,
                                  Map<String, List<Money>> money, double confidence) {
        Map<String, List<Episode>> byUser = new LinkedHashMap<>();
        Map<String, List<Episode>> historicByUser = new LinkedHashMap<>();
        episodes.stream().sorted(Comparator.comparing(Episode::enteredAt).thenComparing(Episode::userId))
                .forEach(e -> (e.historic() ? historicByUser : byUser).computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e));
        List<String> armIds = new ArrayList<>();
        armIds.add(Assignment.HOLDOUT);
        policy.arms().forEach(a -> armIds.add(a.id()));
        // entered, running, decided, messaged, reminders, offers, returned, skipped, historic, historic returned
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> revenue = new HashMap<>();
        for (String arm : armIds) {
            counts.put(arm, new long[10]);
            revenue.put(arm, BigDecimal.ZERO);
        }
        long historicUsers = 0;
        for (List<Episode> user : historicByUser.values()) {
            long[] c = counts.computeIfAbsent(user.get(0).arm(), a -> new long[10]);
            revenue.putIfAbsent(user.get(0).arm(), BigDecimal.ZERO);
            c[8]++;
            historicUsers++;
            if (user.stream().anyMatch(e -> e.outcome() == Outcome.WON_BACK)) {
                c[9]++;
            }
        }
        for (Map.Entry<String, List<Episode>> user : byUser.entrySet()) {
            String arm = user.getValue().get(0).arm();
            long[] c = counts.computeIfAbsent(arm, a -> new long[10]);
            revenue.putIfAbsent(arm, BigDecimal.ZERO);
            c[0]++;
            boolean decided = user.getValue().stream().anyMatch(e -> e.outcome() == Outcome.WON_BACK || e.outcome() == Outcome.LOST);
            if (decided) {
                c[2]++;
            } else if (user.getValue().stream().anyMatch(e -> e.outcome() == null)) {
                c[1]++;   // running; an episode ended by erasure (ERASED) is neither running nor decided
            }
            if (messages.users().contains(user.getKey())) {
                c[3]++;
            }
            c[4] += messages.reminders().getOrDefault(user.getKey(), 0L);
            c[5] += messages.offers().getOrDefault(user.getKey(), 0L);
            c[7] += messages.skipped().getOrDefault(user.getKey(), 0L);
            Episode won = user.getValue().stream().filter(e -> e.outcome() == Outcome.WON_BACK).findFirst().orElse(null);
            if (won != null) {
                c[6]++;
                revenue.merge(arm, revenueAfter(won, policy.windowEnd(won.enteredAt()), money.getOrDefault(user.getKey(), List.of())),
                        BigDecimal::add);
            }
        }
        long[] h = counts.get(Assignment.HOLDOUT);
        List<UpliftStats.Counts> treated = new ArrayList<>();
        counts.forEach((arm, c) -> {
            if (!Assignment.HOLDOUT.equals(arm)) {
                treated.add(new UpliftStats.Counts(arm, c[2], c[6]));
            }
        });
        UpliftStats.Report report = UpliftStats.compare(new UpliftStats.Counts(Assignment.HOLDOUT, h[2], h[6]), treated, confidence);
        List<ArmResult> arms = new ArrayList<>();
        long entered = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            entered += c[0];
            boolean holdout = Assignment.HOLDOUT.equals(e.getKey());
            Uplift uplift = holdout ? null : uplift(report.arm(e.getKey()));
            BigDecimal r = revenue.get(e.getKey());
            arms.add(new ArmResult(e.getKey(), holdout, c[0], c[1], c[2], c[3], c[4], c[5], c[7], c[6],
                    c[2] == 0 ? null : c[6] / (double) c[2], r, c[2] == 0 ? null : r.doubleValue() / c[2], c[8], c[9], uplift));
        }
        return new Results(policy.campaignId(), policy.name(), WinbackResource.iso(policy.outcomeWindow()), confidence, entered,
                historicUsers, arms);
    }

    /** Purchases − refunds in [return, window end) of the episode. */
    static BigDecimal revenueAfter(Episode won, Instant windowEnd, List<Money> money) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Money m : money) {
            if (!m.at().isBefore(won.endedAt()) && m.at().isBefore(windowEnd)) {
                sum = sum.add(m.amount());
            }
        }
        return sum;
    }

    private static Uplift uplift(UpliftStats.ArmUplift a) {
        if (a == null || a.treated().n() == 0 || a.holdout().n() == 0) {
            return null;   // no interval without a decided user on both sides
        }
        return new Uplift(a.difference(), a.ci().low(), a.ci().high(), Double.isNaN(a.relativeLift()) ? null : a.relativeLift(),
                a.pValue(), a.pHolm(), a.significant(), a.significantHolm());
    }
}
