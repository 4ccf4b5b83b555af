package io.ulm.segment;

import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * Segment membership from the segment events: who is in which segment, since when. Its handlers only write
 * this table (an evaluation is a job, not a handler), so replaying it emits nothing. Each batch is folded in
 * memory (a user's entry and exit in the same batch cancel out) and written with its token.
 */
@ApplicationScoped
@ProcessingGroup(SegmentProjection.NAME)
public class SegmentProjection implements Projection {

    public static final String NAME = "segments";

    private final SegmentWriter writer;

    @Inject
    SegmentProjection(SegmentWriter writer) {
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
        return SegmentWriter.TABLES;
    }

    @Override
    public Projection shadow(String schema) {
        return new SegmentProjection(writer.in(schema));
    }

    /** Erasure: her rows go after this batch's writes (docs/privacy.md); a replay does the same at the same point. */
    @EventHandler
    void on(io.ulm.lifecycle.api.UserErased e) {
        io.ulm.platform.privacy.UserRows.afterBatch(() -> writer.erase(e.userId()));
    }

    @EventHandler
    void on(UserEnteredSegment e) {
        batch().entered(e);
    }

    @EventHandler
    void on(UserLeftSegment e) {
        batch().left(e.segmentId(), e.userId());
    }

    private SegmentWriter.Batch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        // keyed by schema: a shadow copy (replay audit) never shares a batch with the live projection
        return uow.getOrComputeResource(SegmentWriter.Batch.class.getName() + "@" + writer.schema(), key -> {
            SegmentWriter.Batch batch = new SegmentWriter.Batch();
            uow.onPrepareCommit(u -> writer.write(batch));
            return batch;
        });
    }
}
