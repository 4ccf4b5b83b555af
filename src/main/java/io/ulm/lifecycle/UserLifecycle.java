package io.ulm.lifecycle;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AliasRecorded;
import io.ulm.lifecycle.api.AdvanceLifecycleClock;
import io.ulm.lifecycle.api.EraseUser;
import io.ulm.lifecycle.api.GroupJoined;
import io.ulm.lifecycle.api.IdentityLinked;
import io.ulm.lifecycle.api.LifecycleDecision;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.lifecycle.api.ChurnRiskRaised;
import io.ulm.lifecycle.api.RecordChurnRisk;
import io.ulm.lifecycle.api.RecordSegmentChanges;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserErased;
import io.ulm.lifecycle.api.UserLeftSegment;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One user's lifecycle, event-sourced. Messages are recorded as events first; then the stage rules
 * decide, in event time, everything up to the watermark the command carries. Command handlers
 * return when this user next needs a decision and the aggregate's version (the lifecycle schedule keeps both).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class UserLifecycle {

    @AggregateIdentifier
    private String userId;
    private LifecycleHistory history = new LifecycleHistory();
    /** The segments she is in now: what makes a repeated segment command a no-op. */
    private TreeSet<String> segments = new TreeSet<>();
    /** When her churn risk was last raised, until she is active after it: a repeated scoring raises nothing. */
    private Instant riskRaisedAt;
    /** Erased (UserErased): she records and decides nothing more; her stream ends with the erasure. */
    private boolean erased;

    protected UserLifecycle() {
        // for Axon and snapshots
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public LifecycleDecision handle(RecordActivity command, LifecycleRules rules) {
        if (erased) {
            return finished();
        }
        for (Observation o : command.observations()) {
            record(command.userId(), o);
        }
        return decide(command.decideUpTo(), rules);
    }

    @CommandHandler
    public LifecycleDecision handle(AdvanceLifecycleClock command, LifecycleRules rules) {
        if (erased) {
            return finished();
        }
        return decide(command.upTo(), rules);
    }

    /**
     * Segment changes found by an evaluation (io.ulm.segment): only real changes become events, exits first.
     * Decides no stage (the sweep does that at the same watermark) and reports what is pending, so the
     * user's schedule keeps its due time.
     */
    @CommandHandler
    public LifecycleDecision handle(RecordSegmentChanges command, LifecycleRules rules) {
        if (erased) {
            return finished();
        }
        for (RecordSegmentChanges.Change c : command.left()) {
            if (segments.contains(c.segmentId())) {
                apply(new UserLeftSegment(userId, c.segmentId(), command.at(), command.evaluation(), c.reason(), c.evidence()));
            }
        }
        for (RecordSegmentChanges.Change c : command.entered()) {
            if (!segments.contains(c.segmentId())) {
                apply(new UserEnteredSegment(userId, c.segmentId(), command.at(), command.evaluation(), c.reason(), c.evidence()));
            }
        }
        return decide(null, rules);
    }

    /** A churn score at or above the threshold: raised once until she is active again (event time). */
    @CommandHandler
    public LifecycleDecision handle(RecordChurnRisk command, LifecycleRules rules) {
        if (erased) {
            return finished();
        }
        if (riskRaisedAt == null && command.score() >= command.threshold()) {
            apply(new ChurnRiskRaised(userId, command.score(), command.threshold(), command.modelId(), command.modelVersion(),
                    command.at(), command.evidence()));
        }
        return decide(null, rules);
    }

    /** Erasure: recorded once; nothing is pending afterwards (her schedule row gets no due time). */
    @CommandHandler
    public LifecycleDecision handle(EraseUser command) {
        if (!erased) {
            apply(new UserErased(userId, command.pseudonym(), command.requestedAt(), command.requestedBy()));
        }
        return finished();
    }

    private static LifecycleDecision finished() {
        Long version = AggregateLifecycle.getVersion();
        return new LifecycleDecision(null, version == null ? -1 : version);
    }

    private void record(String user, Observation o) {
        LogEntry entry = new LogEntry(o.at(), o.messageId(), o.kind());
        if (history.contains(entry)) {
            return; // a redelivery: ingestion deduplicates durably, this guards the aggregate itself
        }
        switch (o.type()) {
            case "identify" -> apply(new TraitsUpdated(user, o.messageId(), o.at(), o.traits(), o.context()));
            case "group" -> apply(new GroupJoined(user, o.messageId(), o.at(), o.groupId(), o.traits()));
            case "alias" -> apply(new AliasRecorded(user, o.messageId(), o.at(), o.previousId()));
            default -> {
                boolean late = history.isLate(entry);
                apply(new ActivityRecorded(user, o.messageId(), o.type(), o.event(), o.at(), o.receivedAt(), o.kind(),
                        o.properties(), o.context(), o.revenue(), o.currency(), o.itemIds(), late));
            }
        }
        for (String linked : o.linkedIds()) {
            apply(new IdentityLinked(user, linked, o.type(), o.messageId(), o.at()));
        }
    }

    /** Applies every transition due by {@code upTo}, one at a time, and says when the next is due. */
    private LifecycleDecision decide(Instant upTo, LifecycleRules rules) {
        // No watermark (an import in progress): decide nothing yet, just report what is pending.
        Instant watermark = upTo == null ? Instant.MIN : upTo;
        StageEvaluator evaluator = new StageEvaluator(rules);
        while (true) {
            StageEvaluator.Scan scan = evaluator.scan(history, watermark);
            Optional<Transition> next = scan.next();
            if (next.isEmpty()) {
                Long version = AggregateLifecycle.getVersion();
                return new LifecycleDecision(scan.nextDueAt(), version == null ? -1 : version);
            }
            Transition t = next.get();
            if (t.to() == Stage.ACQUIRED) {
                apply(new UserAcquired(userId, t.at(), t.causeMessageId()));
            }
            apply(new StageChanged(userId, t.from(), t.to(), t.at(), t.ruleId(), t.evidence(), t.causeMessageId(),
                    t.lastActivityAt(), t.cursor()));
        }
    }

    @EventSourcingHandler
    void on(ActivityRecorded e) {
        userId = e.userId();
        history.record(new LogEntry(e.at(), e.messageId(), e.kind()));
        if (riskRaisedAt != null && e.kind() != null && e.kind().activity() && e.at().isAfter(riskRaisedAt)) {
            riskRaisedAt = null;   // she came back after the raise: a new episode may raise it again
        }
    }

    @EventSourcingHandler
    void on(TraitsUpdated e) {
        userId = e.userId();
        history.record(new LogEntry(e.at(), e.messageId(), ActivityKind.NONE));
    }

    @EventSourcingHandler
    void on(GroupJoined e) {
        userId = e.userId();
        history.record(new LogEntry(e.at(), e.messageId(), ActivityKind.NONE));
    }

    @EventSourcingHandler
    void on(AliasRecorded e) {
        userId = e.userId();
        history.record(new LogEntry(e.at(), e.messageId(), ActivityKind.NONE));
    }

    @EventSourcingHandler
    void on(StageChanged e, LifecycleRules rules) {
        history.apply(e.to(), e.at(), e.cursor(), e.lastActivityAt());
        history.trim(rules.rules().horizon());
    }

    @EventSourcingHandler
    void on(UserEnteredSegment e) {
        segments.add(e.segmentId());
    }

    @EventSourcingHandler
    void on(UserLeftSegment e) {
        segments.remove(e.segmentId());
    }

    @EventSourcingHandler
    void on(ChurnRiskRaised e) {
        riskRaisedAt = e.at();
    }

    @EventSourcingHandler
    void on(UserErased e) {
        erased = true;
        history = new LifecycleHistory();   // nothing of hers is decided again: the log entries are not needed
        segments.clear();
    }

    boolean erased() {
        return erased;
    }

    LifecycleHistory history() {
        return history;
    }
}
