package io.ulm.feature;

import io.ulm.platform.UserIdResolution;
import io.ulm.audit.AuditLog;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.UserAcquired;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/**
 * Features as they were at an instant T, rebuilt from the user's events in the log: the events whose event
 * time is at or before T, folded in log order by the projection's own fold ({@link FeatureState}), evaluated
 * at T. The same "what had happened by T" as {@code GET /v1/users/{id}?asOf=} (docs/audit.md); categories
 * are the catalogue's current ones. Cost: one read of the user's log.
 */
@ApplicationScoped
public class AsOfFeatures {

    private final AuditLog log;
    private final FeatureReads reads;

    AsOfFeatures(AuditLog log, FeatureReads reads) {
        this.log = log;
        this.reads = reads;
    }

    /** The features of {@code id} at {@code at}: the id as a user, else (as the profile) the user it was linked to then, else anon:id. */
    public Optional<UserFeatures> features(String id, Instant at, int top) {
        return UserIdResolution.resolve(id, user -> fold(user, at, top), linked -> log.link(linked, at));
    }

    /**
     * Before any watermark exists (a first import still recording), the user's whole log evaluated at her own
     * latest event time.
     */
    public Optional<UserFeatures> latest(String userId, int top) {
        return fold(userId, null, top);
    }

    /** Folds the events at or before {@code at} (null: all of them, evaluated at the latest one). */
    private Optional<UserFeatures> fold(String userId, Instant at, int top) {
        FeatureSettings settings = reads.settings();
        FeatureState state = new FeatureState();
        Instant latest = null;
        for (AuditLog.LoggedEvent e : log.events(userId)) {
            if (e.payload() instanceof ActivityRecorded a && (at == null || !a.at().isAfter(at))) {
                state.apply(a, settings);
                latest = later(latest, a.at());
            } else if (e.payload() instanceof UserAcquired u && (at == null || !u.at().isAfter(at))) {
                state.apply(u);
                latest = later(latest, u.at());
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        FeatureCalculator.Inputs inputs = new FeatureCalculator.Inputs(state, state.days, state.items, reads.categories(state.items.keySet()));
        return Optional.of(FeatureCalculator.compute(userId, inputs, at == null ? latest : at, UserFeatures.AS_OF, settings, top));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
