package io.ulm.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides stage transitions in event time. Pure: the same history, rules and watermark always give
 * the same answer, so a re-run after a restart or on another node decides exactly the same way.
 *
 * <p>The evaluator returns one transition at a time; the aggregate applies it as an event and asks
 * again. Messages after the cursor and at or before the watermark are decided in event-time order,
 * so out-of-order delivery within the allowed lateness changes nothing.
 */
public final class StageEvaluator {

    private final LifecycleRules.Rules rules;
    private final ZoneId zone;

    public StageEvaluator(LifecycleRules lifecycleRules) {
        this.rules = lifecycleRules.rules();
        this.zone = lifecycleRules.timeZone();
    }

    /** The result of a scan: the next transition if any, and when the user next needs a look. */
    public record Scan(Optional<Transition> next, Instant nextDueAt) {
    }

    public Scan scan(LifecycleHistory h, Instant upTo) {
        Cursor cursor = h.cursor();
        Stage stage = h.stage();
        Instant lastActive = h.lastActivityAt();
        Instant pendingAt = null;
        for (LogEntry e : h.entries()) {
            if (cursor != null && !cursor.before(e.cursor(Cursor.LADDER))) {
                continue;
            }
            if (e.at().isAfter(upTo)) {
                pendingAt = e.at();
                break;
            }
            if (stage == null) {
                return found(acquired(e));
            }
            if (isAfter(e.cursor(Cursor.BEFORE), cursor)) {
                Optional<Transition> lapse = inactivity(stage, base(h, lastActive), e.at());
                if (lapse.isPresent()) {
                    return found(lapse.get());
                }
            }
            if (e.kind().activity()) {
                if (isAfter(e.cursor(Cursor.REACTIVATION), cursor) && stage.inactive()) {
                    return found(reactivated(stage, e, base(h, lastActive)));
                }
                Optional<Transition> up = ladder(h, stage, e);
                if (up.isPresent()) {
                    return found(up.get());
                }
                lastActive = e.at();
            }
        }
        if (stage == null) {
            return new Scan(Optional.empty(), pendingAt);
        }
        Optional<Transition> lapse = inactivity(stage, base(h, lastActive), upTo);
        if (lapse.isPresent()) {
            return found(lapse.get());
        }
        return new Scan(Optional.empty(), min(pendingAt, inactivityDue(stage, base(h, lastActive))));
    }

    private static Scan found(Transition t) {
        return new Scan(Optional.of(t), null);
    }

    private static boolean isAfter(Cursor point, Cursor cursor) {
        return cursor == null || cursor.before(point);
    }

    /** Inactivity is measured from the last activity, or from acquisition for users who never acted. */
    private static Instant base(LifecycleHistory h, Instant lastActive) {
        return lastActive != null ? lastActive : h.acquiredAt();
    }

    private Instant inactivityDue(Stage stage, Instant base) {
        if (stage == null || stage == Stage.CHURNED) {
            return null;
        }
        return stage == Stage.AT_RISK ? base.plus(rules.churned().inactiveFor()) : base.plus(rules.atRisk().inactiveFor());
    }

    private Optional<Transition> inactivity(Stage stage, Instant base, Instant until) {
        Instant due = inactivityDue(stage, base);
        if (due == null || due.isAfter(until)) {
            return Optional.empty();
        }
        LifecycleRules.Inactivity rule = stage == Stage.AT_RISK ? rules.churned() : rules.atRisk();
        Stage to = stage == Stage.AT_RISK ? Stage.CHURNED : Stage.AT_RISK;
        Map<String, Object> evidence = evidence("lastActivityAt", base.toString(), "inactiveFor", rule.inactiveFor().toString());
        return Optional.of(new Transition(stage, to, due, rule.id(), evidence, null, Cursor.inactivity(due), base));
    }

    private Transition acquired(LogEntry e) {
        return new Transition(null, Stage.ACQUIRED, e.at(), rules.acquired().id(),
                evidence("firstMessageId", e.messageId()), e.messageId(), e.cursor(Cursor.BEFORE), null);
    }

    private Transition reactivated(Stage from, LogEntry e, Instant base) {
        long days = Duration.between(base, e.at()).toDays();
        Map<String, Object> evidence = evidence("previousStage", from.name(), "inactiveSince", base.toString(), "inactiveDays", days);
        return new Transition(from, Stage.REACTIVATED, e.at(), rules.reactivated().id(), evidence,
                e.messageId(), e.cursor(Cursor.REACTIVATION), base);
    }

    private Optional<Transition> ladder(LifecycleHistory h, Stage stage, LogEntry e) {
        Cursor point = e.cursor(Cursor.LADDER);
        if (!isAfter(point, h.cursor())) {
            return Optional.empty();
        }
        Instant life = h.lifeStart();
        if (e.kind().purchase() && stage.rank() < Stage.LOYAL.rank()) {
            long purchases = count(h, e, since(life, e.at().minus(rules.loyal().window())), true);
            if (purchases >= rules.loyal().purchases()) {
                return Optional.of(step(stage, Stage.LOYAL, e, rules.loyal().id(),
                        evidence("purchases", purchases, "required", rules.loyal().purchases(), "window", rules.loyal().window().toString())));
            }
        }
        if (e.kind().purchase() && stage.rank() < Stage.MONETIZED.rank()) {
            return Optional.of(step(stage, Stage.MONETIZED, e, rules.monetized().id(), evidence("purchaseMessageId", e.messageId())));
        }
        if (stage.rank() < Stage.ENGAGED.rank()) {
            int days = activeDays(h, e, since(life, e.at().minus(rules.engaged().window())));
            if (days >= rules.engaged().activeDays()) {
                return Optional.of(step(stage, Stage.ENGAGED, e, rules.engaged().id(),
                        evidence("activeDays", days, "required", rules.engaged().activeDays(), "window", rules.engaged().window().toString())));
            }
        }
        if (stage == Stage.ACQUIRED && e.kind().core() && !e.at().isAfter(h.acquiredAt().plus(rules.activated().within()))) {
            long core = countCore(h, e, h.acquiredAt());
            if (core >= rules.activated().coreActions()) {
                return Optional.of(step(stage, Stage.ACTIVATED, e, rules.activated().id(),
                        evidence("coreActions", core, "required", rules.activated().coreActions(), "within", rules.activated().within().toString())));
            }
        }
        return Optional.empty();
    }

    /** A ladder step is the last phase of its message, so that message is now the last activity. */
    private static Transition step(Stage from, Stage to, LogEntry e, String rule, Map<String, Object> evidence) {
        return new Transition(from, to, e.at(), rule, evidence, e.messageId(), e.cursor(Cursor.LADDER), e.at());
    }

    /** The later of the life start and the window start: windows never reach into a previous life. */
    private static Instant since(Instant lifeStart, Instant windowStart) {
        return windowStart.isAfter(lifeStart) ? windowStart : lifeStart;
    }

    /** Purchases in (from, e] in event order, counting from inclusive when it is the life start. */
    private static long count(LifecycleHistory h, LogEntry upTo, Instant from, boolean purchases) {
        long n = 0;
        for (LogEntry x : h.entries()) {
            if (LogEntry.ORDER.compare(x, upTo) > 0) {
                break;
            }
            if (!x.at().isBefore(from) && (purchases ? x.kind().purchase() : x.kind().core())) {
                n++;
            }
        }
        return n;
    }

    private static long countCore(LifecycleHistory h, LogEntry upTo, Instant from) {
        return count(h, upTo, from, false);
    }

    private int activeDays(LifecycleHistory h, LogEntry upTo, Instant from) {
        Set<LocalDate> days = new HashSet<>();
        for (LogEntry x : h.entries()) {
            if (LogEntry.ORDER.compare(x, upTo) > 0) {
                break;
            }
            if (x.kind().activity() && !x.at().isBefore(from)) {
                days.add(LocalDate.ofInstant(x.at(), zone));
            }
        }
        return days.size();
    }

    private static Instant min(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Map<String, Object> evidence(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
