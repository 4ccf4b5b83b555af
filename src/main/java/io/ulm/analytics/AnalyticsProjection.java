package io.ulm.analytics;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * The facts behind the analytics reports: every stage transition, activity per user and UTC day, and
 * each user's acquisition time, all in event time. Reports are computed from these at query time, so
 * changing a report's definition never needs a replay. Each batch is folded in memory and written in
 * the processor's transaction, with its token: a crash cannot double-count, a replay from zero
 * rebuilds identical rows (no wall clock, no randomness, sums independent of batch boundaries).
 */
@ApplicationScoped
@ProcessingGroup(AnalyticsProjection.NAME)
public class AnalyticsProjection implements Projection {

    public static final String NAME = "analytics";

    private final AnalyticsWriter writer;

    @Inject
    AnalyticsProjection(AnalyticsWriter writer) {
        this.writer = writer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @ResetHandler
    public void reset() {
        writer.reset();
    }

    @Override
    public List<String> tables() {
        return AnalyticsWriter.TABLES;
    }

    @Override
    public Projection shadow(String schema) {
        return new AnalyticsProjection(writer.in(schema));
    }

    /** Erasure: her rows go after this batch's writes (docs/privacy.md); a replay does the same at the same point. */
    @EventHandler
    void on(io.ulm.lifecycle.api.UserErased e) {
        io.ulm.platform.privacy.UserRows.afterBatch(() -> writer.erase(e.userId(), e.pseudonym()));
    }

    @EventHandler
    void on(ActivityRecorded e) {
        // identify, group and alias are not activity; neither are messages the rules did not classify as such
        if (e.kind() != null && e.kind().activity()) {
            batch().activity(e);
        }
    }

    @EventHandler
    void on(StageChanged e, @SequenceNumber long seq) {
        batch().transition(e, seq);
    }

    @EventHandler
    void on(UserAcquired e) {
        batch().acquired(e.userId(), e.at());
    }

    /** The batch of the current unit of work, written once just before it commits. */
    private AnalyticsBatch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        // keyed by schema: a shadow copy (replay audit) never shares a batch with the live projection
        return uow.getOrComputeResource(AnalyticsBatch.class.getName() + "@" + writer.schema(), key -> {
            AnalyticsBatch batch = new AnalyticsBatch();
            uow.onPrepareCommit(u -> writer.write(batch));
            return batch;
        });
    }
}
