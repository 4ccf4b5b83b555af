package io.ulm.projection;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AliasRecorded;
import io.ulm.lifecycle.api.GroupJoined;
import io.ulm.lifecycle.api.IdentityLinked;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * Builds the user profile read model from the event log. Each batch of events is folded in memory
 * and written in the same transaction as the processor's token, so a crash between the write and
 * the token update cannot double-count: both commit or neither does. Replays rebuild the same rows.
 */
@ApplicationScoped
@ProcessingGroup(UserProfileProjection.NAME)
public class UserProfileProjection implements Projection {

    public static final String NAME = "user-profile";


    private static final String BATCH = ProfileBatch.class.getName();

    private final ProfileWriter writer;

    UserProfileProjection(ProfileWriter writer) {
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
        return ProfileWriter.TABLES;
    }

    @Override
    public Projection shadow(String schema) {
        return new UserProfileProjection(writer.in(schema));
    }

    // The fold itself is ProfileBatch.Delta's (shared with ProfileFold, which rebuilds a profile in memory).

    /** Erasure: her rows go after this batch's writes (docs/privacy.md); a replay does the same at the same point. */
    @EventHandler
    void on(io.ulm.lifecycle.api.UserErased e) {
        io.ulm.platform.privacy.UserRows.afterBatch(() -> writer.erase(e.userId()));
    }

    @EventHandler
    void on(ActivityRecorded e, TrackingToken token) {
        batch().user(e.userId()).on(e, position(token));
    }

    @EventHandler
    void on(TraitsUpdated e, TrackingToken token) {
        batch().user(e.userId()).on(e, position(token));
    }

    @EventHandler
    void on(GroupJoined e, TrackingToken token) {
        batch().user(e.userId()).on(e, position(token));
    }

    @EventHandler
    void on(AliasRecorded e, TrackingToken token) {
        batch().user(e.userId()).on(e, position(token));
    }

    @EventHandler
    void on(IdentityLinked e) {
        batch().user(e.userId()).on(e);
    }

    @EventHandler
    void on(UserAcquired e, TrackingToken token) {
        batch().user(e.userId()).on(e);
    }

    @EventHandler
    void on(StageChanged e, TrackingToken token) {
        batch().user(e.userId()).on(e);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    /** The batch of the current unit of work, written once just before it commits. */
    private ProfileBatch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(BATCH, key -> {
            ProfileBatch batch = new ProfileBatch();
            uow.onPrepareCommit(u -> writer.write(batch));
            return batch;
        });
    }
}
