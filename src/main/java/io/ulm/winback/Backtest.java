package io.ulm.winback;

import io.ulm.lifecycle.Stage;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.ChurnRiskRaised;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One campaign replayed over one user's history in event time (docs/winback.md, "Backtest"), pure: what the saga would
 * have done had the policy been live — her triggers in event-time order, the cap (one episode at a time, the cooldown
 * after the last one of this backtest), eligibility on her facts at each trigger, the hash assignment, the steps that
 * would have been due before she came back and before the history ends, and the outcome. Nothing was sent in history,
 * so every return here is natural: the backtest sizes a campaign and measures its baseline; it cannot measure uplift.
 */
public final class Backtest {

    /** An action the saga would have written (the live records' fields; {@code cost}: an offer's value). */
    public record Action(String actionId, String userId, String type, String arm, Instant at, String tier, BigDecimal discount,
                         BigDecimal cost, Outcome outcome) {
    }

    /**
     * One would-be episode.
     *
     * @param outcome   WON_BACK, LOST, or PENDING when her window had not ended by the end of the history
     * @param offerCost Σ over her offers of discount × her mean order value before entry (the offer's face value)
     * @param redeemed  Σ over her offers of discount × her first order in [offer, window end) (0 if none)
     */
    public record Episode(String userId, String arm, Trigger trigger, Instant enteredAt, Outcome outcome, Instant endedAt,
                          int reminders, int offers, BigDecimal offerCost, BigDecimal redeemed, List<Action> actions) {
    }

    /** A trigger that entered nobody, and why. */
    public record Skipped(String userId, Instant at, Decision.Reason reason) {
    }

    public record Result(List<Episode> episodes, List<Skipped> skipped) {
    }

    private record Trig(Instant at, Trigger trigger) {
    }

    private Backtest() {
    }

    /** Her would-be episodes; {@code events} are her stream's payloads in log order, {@code end} the history's end. */
    public static Result run(WinbackPolicy policy, String userId, List<Object> events, boolean erased, Instant end) {
        List<Trig> triggers = new ArrayList<>();
        List<ActivityRecorded> activities = new ArrayList<>();
        for (Object e : events) {
            if (e instanceof StageChanged s && s.to() == Stage.AT_RISK) {
                triggers.add(new Trig(s.at(), Trigger.AT_RISK));
            } else if (e instanceof ChurnRiskRaised c) {
                triggers.add(new Trig(c.at(), Trigger.CHURN_RISK_RAISED));
            } else if (e instanceof ActivityRecorded a && a.kind() != null) {
                activities.add(a);
            }
        }
        activities.sort(Comparator.comparing(ActivityRecorded::at));
        triggers.sort(Comparator.comparing(Trig::at));
        List<Episode> episodes = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Instant busyUntil = null;    // the running episode's end (or the end of history: still running)
        Instant lastEnd = null;
        for (Trig t : triggers) {
            if (!t.at().isBefore(end) || (busyUntil != null && t.at().isBefore(busyUntil))) {
                if (busyUntil != null && t.at().isBefore(busyUntil)) {
                    skipped.add(new Skipped(userId, t.at(), Decision.Reason.ACTIVE_WINBACK));
                }
                continue;
            }
            Facts facts = facts(userId, t, events, activities, erased, lastEnd);
            Decision d = policy.eligible(facts);
            if (!d.eligible()) {
                skipped.add(new Skipped(userId, t.at(), d.reason()));
                continue;
            }
            Episode episode = episode(policy, userId, t, facts, activities, end);
            episodes.add(episode);
            busyUntil = episode.outcome() == Outcome.PENDING ? Instant.MAX : episode.endedAt();
            lastEnd = episode.endedAt();
        }
        return new Result(episodes, skipped);
    }

    private static Episode episode(WinbackPolicy policy, String userId, Trig t, Facts facts, List<ActivityRecorded> activities,
                                   Instant end) {
        String arm = policy.assign(userId).arm();
        String id = policy.campaignId() + ":" + userId + ":" + t.at();
        Instant windowEnd = policy.windowEnd(t.at());
        ActivityRecorded back = activities.stream().filter(a -> a.kind().activity() && !a.at().isBefore(t.at())).findFirst().orElse(null);
        boolean won = back != null && back.at().isBefore(windowEnd) && back.at().isBefore(end);
        BigDecimal meanOrder = meanOrder(activities, t.at());
        List<Action> actions = new ArrayList<>();
        actions.add(new Action(id + ":started", userId, "WinbackStarted", arm, t.at(), null, null, null, null));
        Instant stepAt = t.at();
        int reminders = 0;
        int offers = 0;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal redeemed = BigDecimal.ZERO;
        List<Step> steps = policy.steps(arm);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step instanceof Step.Wait w) {
                stepAt = stepAt.plus(w.duration());
                continue;
            }
            if ((won && !stepAt.isBefore(back.at())) || !stepAt.isBefore(end)) {
                break;   // she was back before this step, or the history ends first: never sent
            }
            if (step instanceof Step.Reminder) {
                reminders++;
                actions.add(new Action(id + ":step:" + i, userId, "WinbackReminderSent", arm, stepAt, null, null, null, null));
            } else if (step instanceof Step.Offer o) {
                offers++;
                Tier tier = policy.tier(o, facts.clv(), facts.segments());
                BigDecimal value = tier.discount().multiply(meanOrder).setScale(2, RoundingMode.HALF_UP);
                cost = cost.add(value);
                redeemed = redeemed.add(tier.discount().multiply(firstOrder(activities, stepAt, windowEnd)).setScale(2, RoundingMode.HALF_UP));
                actions.add(new Action(id + ":step:" + i, userId, "WinbackOfferSent", arm, stepAt, tier.id(), tier.discount(), value, null));
            }
        }
        Instant lostAt = stepAt.isAfter(windowEnd) ? stepAt : windowEnd;
        Outcome outcome = won ? Outcome.WON_BACK : lostAt.isAfter(end) ? Outcome.PENDING : Outcome.LOST;
        Instant endedAt = won ? back.at() : outcome == Outcome.LOST ? lostAt : null;
        if (endedAt != null) {
            actions.add(new Action(id + ":ended", userId, "WinbackEnded", arm, endedAt, null, null, null, outcome));
        }
        return new Episode(userId, arm, t.trigger(), t.at(), outcome, endedAt, reminders, offers, cost, redeemed, actions);
    }

    /** Her facts at the trigger, as the saga folds them (purchases − refunds, segments, unsubscribed, all up to then). */
    private static Facts facts(String userId, Trig t, List<Object> events, List<ActivityRecorded> activities, boolean erased,
                               Instant lastEnd) {
        BigDecimal clv = BigDecimal.ZERO;
        for (ActivityRecorded a : activities) {
            if (a.at().isBefore(t.at()) && a.revenue() != null) {
                clv = a.kind().purchase() ? clv.add(a.revenue()) : a.kind().refund() ? clv.subtract(a.revenue().abs()) : clv;
            }
        }
        Set<String> segments = new TreeSet<>();
        boolean unsubscribed = false;
        Instant traitAt = Instant.MIN;
        for (Object e : events) {
            if (e instanceof UserEnteredSegment s && !s.at().isAfter(t.at())) {
                segments.add(s.segmentId());
            } else if (e instanceof UserLeftSegment s && !s.at().isAfter(t.at())) {
                segments.remove(s.segmentId());
            } else if (e instanceof TraitsUpdated u && u.traits() != null && u.traits().has("unsubscribed") && !u.at().isAfter(t.at())
                    && !u.at().isBefore(traitAt)) {
                traitAt = u.at();
                unsubscribed = u.traits().get("unsubscribed").asBoolean(false) || "true".equalsIgnoreCase(u.traits().get("unsubscribed").asText());
            }
        }
        return new Facts(userId, t.trigger(), t.at(), clv.doubleValue(), segments, unsubscribed, erased, false, lastEnd);
    }

    /** Her typical order: mean revenue of her purchases before {@code at} (0 without one). */
    static BigDecimal meanOrder(List<ActivityRecorded> activities, Instant at) {
        BigDecimal sum = BigDecimal.ZERO;
        int n = 0;
        for (ActivityRecorded a : activities) {
            if (a.kind().purchase() && a.revenue() != null && a.at().isBefore(at)) {
                sum = sum.add(a.revenue());
                n++;
            }
        }
        return n == 0 ? BigDecimal.ZERO : sum.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_UP);
    }

    private static BigDecimal firstOrder(List<ActivityRecorded> activities, Instant from, Instant to) {
        return activities.stream().filter(a -> a.kind().purchase() && a.revenue() != null && !a.at().isBefore(from) && a.at().isBefore(to))
                .map(ActivityRecorded::revenue).findFirst().orElse(BigDecimal.ZERO);
    }
}
