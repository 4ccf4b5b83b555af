package io.ulm.feature;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * The behavioural features of each user (docs/features.md), in event time: a projection of its own
 * (processor "features", own tokens), so it can be replayed without touching the profile. Each batch is
 * folded on top of the stored state and written with its token in the processor's transaction. It reads
 * nothing but its own tables and the events: item categories are joined at read time, so replays are
 * identical whatever the catalogue projection's progress.
 */
@ApplicationScoped
@ProcessingGroup(FeatureProjection.NAME)
public class FeatureProjection implements Projection {

    public static final String NAME = "features";
    private static final String BATCH = FeatureBatch.class.getName();

    private final FeatureWriter writer;

    FeatureProjection(FeatureWriter writer) {
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
        return FeatureWriter.TABLES;
    }

    @Override
    public Projection shadow(String schema) {
        return new FeatureProjection(writer.in(schema));
    }

    /** Erasure: her rows go after this batch's writes (docs/privacy.md); a replay does the same at the same point. */
    @EventHandler
    void on(io.ulm.lifecycle.api.UserErased e) {
        io.ulm.platform.privacy.UserRows.afterBatch(() -> writer.erase(e.userId()));
    }

    @EventHandler
    void on(ActivityRecorded e) {
        batch().add(e.userId(), e);
    }

    @EventHandler
    void on(UserAcquired e) {
        batch().add(e.userId(), e);
    }

    /** The batch of the current unit of work, folded and written once just before it commits. */
    private FeatureBatch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(BATCH, key -> {
            FeatureBatch batch = new FeatureBatch();
            uow.onPrepareCommit(u -> writer.write(batch));
            return batch;
        });
    }
}
