package io.ulm.winback;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ulm.lifecycle.Stage;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.ChurnRiskRaised;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.UserErased;
import io.ulm.winback.api.WinbackStepDue;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * One user's win-back episode of the live campaign (docs/winback.md, "The saga"). Starts on {@code StageChanged} to
 * AT_RISK or {@code ChurnRiskRaised} when the policy finds her eligible, assigns her arm by the policy's hash, runs the
 * arm's steps in event time (waits are rows of {@code winback_step}, woken by {@link WinbackStepDue}), and ends
 * WON_BACK on her first activity in the outcome window, or LOST when the window ends after the last step.
 *
 * <p>Every action is a row of the {@code outbox}, written with the saga state in the processor's transaction, keyed
 * by {@code winbackId:action}: a redelivered event finds the saga already past that step, or inserts nothing.
 * The saga's processor is not a projection: projection replays never run it, and it starts at the head of the log.
 */
@ProcessingGroup(WinbackSaga.PROCESSOR)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class WinbackSaga {

    public static final String PROCESSOR = "winback-saga";

    // ------------------------------------------------------------------ actions (outbox payloads, topic winback-actions)

    /** She entered the campaign (holdout included: the results need every entrant). */
    public record WinbackStarted(String type, String winbackId, String campaignId, String userId, String arm,
                                 Trigger trigger, Instant at, double clv) {
    }

    /** A reminder with her recommended items (possibly none: no model). */
    public record WinbackReminderSent(String type, String winbackId, String campaignId, String userId, String arm,
                                      int step, Instant at, List<String> items) {
    }

    /** An offer of the tier her CLV and segments give. */
    public record WinbackOfferSent(String type, String winbackId, String campaignId, String userId, String arm, int step,
                                   Instant at, String tier, BigDecimal discount) {
    }

    /**
     * The episode's outcome. WON_BACK attributes her return to the campaign and arm: {@code returnMessageId} is the
     * activity that brought her back (the cause of her REACTIVATED transition when she was AT_RISK or CHURNED).
     */
    public record WinbackEnded(String type, String winbackId, String campaignId, String userId, String arm,
                               Outcome outcome, Instant at, String returnMessageId) {
    }

    // ------------------------------------------------------------------ state (serialised by the JDBC saga store)

    private String winbackId;
    private String campaignId;
    private String userId;
    private String arm;
    private Instant enteredAt;
    /** Event time of the step being run: entry plus the waits so far. */
    private Instant stepAt;
    /** Index of the next step of the arm (the arm's step count + 1: only the outcome is left). */
    private int next;
    /** Event time of the scheduled wake-up (the next step, or the outcome); null in episodes stored before it existed. */
    private Instant dueAt;
    private double clv;
    private TreeSet<String> segments = new TreeSet<>();
    /** The trigger judged against the watermark (docs/winback.md "History"); null in episodes stored before it existed. */
    private Judgement judgement;

    private transient WinbackServices services;
    private transient EventStore eventStore;

    public WinbackSaga() {
        // for Axon and the saga store
    }

    /** Called by AxonRuntime's resource injector on every new or loaded instance. */
    public void inject(WinbackServices services, EventStore eventStore) {
        this.services = services;
        this.eventStore = eventStore;
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "userId")
    void on(StageChanged e) {
        if (winbackId != null) {
            return;   // an episode is running: the cap (one at a time) holds, the stage change is not a trigger
        }
        if (e.to() != Stage.AT_RISK) {
            SagaLifecycle.end();
            return;
        }
        begin(e.userId(), Trigger.AT_RISK, e.at());
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "userId")
    void on(ChurnRiskRaised e) {
        if (winbackId == null) {
            begin(e.userId(), Trigger.CHURN_RISK_RAISED, e.at());
        }
    }

    @SagaEventHandler(associationProperty = "userId")
    void on(ActivityRecorded e) {
        if (winbackId == null || e.kind() == null || !e.kind().activity()) {
            return;
        }
        if (policy().outcome(enteredAt, e.at(), e.at()) == Outcome.WON_BACK) {
            catchUp(e.at());
            end(Outcome.WON_BACK, e.at(), e.messageId());
        }
    }

    /**
     * Runs, in event-time order, the steps whose wake-up is due before {@code until}: a return at {@code until} was
     * recorded, so the watermark has passed them and their {@link WinbackStepDue} may simply not have reached the saga
     * yet (the log holds the activity before the wake-up). Each step is sent as at its own event time, as the backtest
     * records it, and the episode can end at once: a later trigger in the same batch is not lost to a running episode.
     */
    private void catchUp(Instant until) {
        List<Step> steps = policy().steps(arm);
        while (dueAt != null && dueAt.isBefore(until) && next <= steps.size()) {   // a step, not the outcome, is pending
            stepAt = dueAt;
            dueAt = null;
            run();
        }
    }

    /** Erased (docs/privacy.md): the episode stops here, nothing more is sent (the erasure ended and re-keyed her entry). */
    @SagaEventHandler(associationProperty = "userId")
    void on(UserErased e) {
        SagaLifecycle.end();
    }

    @SagaEventHandler(associationProperty = "userId")
    void on(WinbackStepDue e) {
        if (winbackId == null || !winbackId.equals(e.winbackId()) || e.step() != next) {
            return;   // a stale or repeated wake-up: the saga has moved on
        }
        if (services.store().erased(userId)) {
            SagaLifecycle.end();   // erased after this wake-up was due, before the saga read her UserErased
            return;
        }
        stepAt = e.dueAt();
        if (next > policy().steps(arm).size()) {
            end(Outcome.LOST, e.dueAt(), null);
        } else {
            run();
        }
    }

    /**
     * A trigger without a running episode: the live campaigns in priority order, the first she is eligible for wins
     * (one running win-back per user across campaigns; the cooldown counts from her last episode of any campaign).
     */
    private void begin(String user, Trigger trigger, Instant at) {
        WinbackStore store = services.store();
        Her her = null;
        Facts facts = null;
        for (WinbackPolicy policy : services.live()) {
            if (!policy.triggers().contains(trigger)) {
                continue;
            }
            if (her == null) {
                her = Her.at(eventStore, user, at);
                WinbackStore.History history = store.history(user);
                facts = new Facts(user, trigger, at, her.clv(), her.segments(), her.unsubscribed(), store.erased(user),
                        history.active(), history.lastEndedAt());
            }
            if (policy.eligible(facts).eligible()) {
                enter(policy, trigger, at, her);
                return;
            }
        }
        SagaLifecycle.end();
    }

    private void enter(WinbackPolicy policy, Trigger trigger, Instant at, Her her) {
        WinbackStore store = services.store();
        String user = her.userId();
        Assignment assignment = policy.assign(user);
        String id = policy.campaignId() + ":" + user + ":" + at;
        boolean won = her.returnedAt() != null && policy.outcome(at, her.returnedAt(), her.returnedAt()) == Outcome.WON_BACK;
        Judgement judged = services.judge(policy.windowEnd(at), won ? her.returnedAt() : null);
        if (!store.enter(id, policy.campaignId(), user, assignment.arm(), trigger, at, judged.judgedAt(), judged.historic())) {
            SagaLifecycle.end();   // this trigger was handled before (a redelivery after the episode ended)
            return;
        }
        judgement = judged;
        winbackId = id;
        campaignId = policy.campaignId();
        userId = user;
        arm = assignment.arm();
        enteredAt = at;
        stepAt = at;
        clv = her.clv();
        segments = new TreeSet<>(her.segments());
        if (!judged.historic()) {
            store.action(winbackId + ":started", userId,
                    new WinbackStarted("WinbackStarted", winbackId, campaignId, userId, arm, trigger, at, clv));
        }
        run();
        if (judged.historic()) {
            endHistoric(policy, won, her);
            return;
        }
        if (judged.liveFrom() != null) {
            catchUp(judged.liveFrom());   // steps due before it are history: recorded now rather than woken one by one
        }
        if (her.returnedAt() != null) {
            // her stream already has activity after the trigger's event time (recorded before the trigger was decided, as
            // in a batch or an import): the steps due before it run as at their event times, and the outcome is known now
            catchUp(her.returnedAt());
            if (won) {
                end(Outcome.WON_BACK, her.returnedAt(), her.returnMessageId());
            } else if (next > policy.steps(arm).size() && dueAt != null && !dueAt.isAfter(her.returnedAt())) {
                end(Outcome.LOST, dueAt, null);   // back only after the window: the outcome's wake-up is due as well
            }
        }
    }

    /**
     * Over before watermark − stale-after (she is back, or her window ended): her steps run as at their event times up to her return
     * or the window's end, recorded and not sent, and the episode ends with its event-time outcome; nothing is sent.
     */
    private void endHistoric(WinbackPolicy policy, boolean won, Her her) {
        Instant until = won ? her.returnedAt() : policy.windowEnd(enteredAt);
        List<Step> steps = policy.steps(arm);
        while (dueAt != null && (won ? dueAt.isBefore(until) : !dueAt.isAfter(until)) && next <= steps.size()) {
            stepAt = dueAt;
            dueAt = null;
            run();
        }
        if (won) {
            end(Outcome.WON_BACK, her.returnedAt(), her.returnMessageId());
        } else {
            end(Outcome.LOST, dueAt, null);   // the outcome's due time: the window's end, before the watermark
        }
    }

    /** Runs the steps from {@link #next} until a wait (scheduled) or the end of the arm (the outcome window's end). */
    private void run() {
        WinbackPolicy policy = policy();
        WinbackStore store = services.store();
        List<Step> steps = policy.steps(arm);
        while (next < steps.size()) {
            int index = next;
            Step step = steps.get(index);
            next++;
            if ((step instanceof Step.Reminder || step instanceof Step.Offer) && !sends(stepAt)) {
                store.skipped(actionId(index), winbackId, campaignId, userId, step instanceof Step.Reminder
                        ? "WinbackReminderSent" : "WinbackOfferSent", index, stepAt, judgement.judgedAt());
            } else if (step instanceof Step.Reminder r) {
                store.action(actionId(index), userId, new WinbackReminderSent("WinbackReminderSent", winbackId, campaignId,
                        userId, arm, index, stepAt, services.recommendations().items(userId, r.items())));
            } else if (step instanceof Step.Offer o) {
                Tier tier = policy.tier(o, clv, segments);
                store.action(actionId(index), userId, new WinbackOfferSent("WinbackOfferSent", winbackId, campaignId,
                        userId, arm, index, stepAt, tier.id(), tier.discount()));
            } else if (step instanceof Step.Wait w) {
                dueAt = stepAt.plus(w.duration());
                store.schedule(winbackId, userId, next, dueAt);
                return;
            }
        }
        // after the last step: the outcome is decided when the window ends (or now, if the waits outlasted it)
        Instant windowEnd = policy.windowEnd(enteredAt);
        next = steps.size() + 1;
        dueAt = stepAt.isAfter(windowEnd) ? stepAt : windowEnd;
        store.schedule(winbackId, userId, next, dueAt);
    }

    private void end(Outcome outcome, Instant at, String returnMessageId) {
        services.store().end(winbackId, outcome, at, returnMessageId);
        if (judgement == null || !judgement.historic()) {
            services.store().action(winbackId + ":ended", userId,
                    new WinbackEnded("WinbackEnded", winbackId, campaignId, userId, arm, outcome, at, returnMessageId));
        }
        SagaLifecycle.end();
    }

    /** Whether a step at event time {@code at} is sent (else recorded as history); episodes from before V17 send all. */
    private boolean sends(Instant at) {
        return judgement == null || judgement.sends(at);
    }

    private String actionId(int step) {
        return winbackId + ":step:" + step;
    }

    /** The running episode's campaign (a policy file of a running episode must stay loaded). */
    private WinbackPolicy policy() {
        return services.policy(campaignId).orElseThrow(() -> new IllegalStateException("win-back campaign " + campaignId
                + " of the running episode " + winbackId + " is no longer loaded: keep its file, drop it from ulm.winback.campaigns"));
    }
}
