package io.ulm.projection;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Iterator;
import java.util.Map;

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
    public void reset() {
        writer.reset();
    }

    @EventHandler
    void on(ActivityRecorded e, TrackingToken token) {
        ProfileBatch.Delta d = batch().user(e.userId());
        d.seen(e.at(), position(token));
        d.count(e.type(), e.event());
        if (e.late()) {
            d.late++;
        }
        if (e.kind() != null && e.kind().activity()) {
            d.activities++;
            d.lastActivityAt = d.lastActivityAt == null || e.at().isAfter(d.lastActivityAt) ? e.at() : d.lastActivityAt;
        }
        if (e.kind() != null && e.kind().purchase()) {
            d.purchases++;
            d.revenue = d.revenue.add(e.revenue() == null ? java.math.BigDecimal.ZERO : e.revenue());
        }
        if (e.kind() != null && e.kind().refund()) {
            d.refunds++;
            d.refunded = d.refunded.add(e.revenue() == null ? java.math.BigDecimal.ZERO : e.revenue().abs());
        }
        if (e.itemIds() != null) {
            d.items.addAll(e.itemIds());
        }
    }

    @EventHandler
    void on(TraitsUpdated e, TrackingToken token) {
        ProfileBatch.Delta d = batch().user(e.userId());
        d.seen(e.at(), position(token));
        d.count("identify", null);
        if (e.traits() != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.traits().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> trait = it.next();
                d.trait(trait.getKey(), trait.getValue(), e.at());
            }
        }
    }

    @EventHandler
    void on(GroupJoined e, TrackingToken token) {
        ProfileBatch.Delta d = batch().user(e.userId());
        d.seen(e.at(), position(token));
        d.count("group", null);
        d.trait("groupId", com.fasterxml.jackson.databind.node.TextNode.valueOf(e.groupId()), e.at());
    }

    @EventHandler
    void on(AliasRecorded e, TrackingToken token) {
        ProfileBatch.Delta d = batch().user(e.userId());
        d.seen(e.at(), position(token));
        d.count("alias", null);
    }

    @EventHandler
    void on(IdentityLinked e) {
        batch().user(e.userId()).links.put(e.linkedId(), new ProfileBatch.Link(e.via(), e.at()));
    }

    @EventHandler
    void on(UserAcquired e, TrackingToken token) {
        batch().user(e.userId()).acquiredAt = e.at();
    }

    @EventHandler
    void on(StageChanged e, TrackingToken token) {
        batch().user(e.userId()).stage = e;
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
