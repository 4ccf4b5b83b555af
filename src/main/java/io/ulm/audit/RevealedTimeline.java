package io.ulm.audit;

import io.ulm.platform.privacy.PersonalData;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** A user's whole timeline with her personal values decrypted (the data export, io.ulm.privacy): admins only. */
@ApplicationScoped
public class RevealedTimeline {

    private final AuditLog log;
    private final PersonalData personalData;

    RevealedTimeline(AuditLog log, PersonalData personalData) {
        this.log = log;
        this.personalData = personalData;
    }

    /** The stream {@code id} resolves to (as GET /v1/users/{id}/timeline resolves it), empty when unknown. */
    public Optional<String> resolve(String id) {
        return log.resolve(id);
    }

    /** Every entry of {@code userId}'s timeline, personal values revealed ({@code "[erased]"} once her key is gone). */
    public Timeline.Page of(String userId) {
        return Timeline.page(userId, log.events(userId), null, Integer.MAX_VALUE,
                node -> PersonalValues.reveal(personalData, userId, node));
    }
}
