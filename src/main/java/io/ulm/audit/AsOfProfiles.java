package io.ulm.audit;

import io.ulm.platform.UserIdResolution;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import io.ulm.projection.ProfileFold;
import io.ulm.projection.ProfileResource.ProfileView;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /v1/users/{id}?asOf=}: the profile as it was at an instant, rebuilt from the event log.
 *
 * <p>"As it was" means what had happened by then in event time, as the rules decided it: the user's events
 * whose event time ({@code at}) is at or before {@code asOf} are folded by the profile projection's own fold
 * ({@link ProfileFold}), in log order. A message that arrived later but happened earlier counts; a stage
 * change counts when its event time is at or before {@code asOf} (the last such one is the stage). The id
 * resolves with the links that existed then (made by messages whose event time is at or before
 * {@code asOf}). Details and examples: docs/audit.md.
 */
@ApplicationScoped
public class AsOfProfiles {

    public static final String BAD_AS_OF_EXAMPLE = "{\"type\":\"/problems/invalid-parameter\",\"title\":\"Invalid parameter\","
            + "\"status\":400,\"detail\":\"asOf must be an RFC 3339 instant such as 2024-03-01T00:00:00Z, not '1 March'\","
            + "\"instance\":\"/v1/users/ada\",\"parameter\":\"asOf\"}";

    private final AuditLog log;

    AsOfProfiles(AuditLog log) {
        this.log = log;
    }

    /** Parses an RFC 3339 date-time with offset ({@code 2024-03-01T00:00:00Z}, {@code ...+01:00}); 400 otherwise. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter",
                    "asOf must be an RFC 3339 instant such as 2024-03-01T00:00:00Z, not '" + text + "'").with("parameter", "asOf"));
        }
    }

    /** The profile of {@code id} as it was at {@code asOf}, traits as stored (the caller masks or reveals them). */
    public Uni<ProfileView> profile(String id, Instant asOf) {
        return Uni.createFrom().item(() -> rebuild(id, asOf)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A segment she was in at {@code asOf}: since (event time of the entry), the evaluation that found it, why. */
    public record SegmentAt(String segmentId, Instant since, long evaluation, String reason, Map<String, Object> evidence) {
    }

    /** The segments of the user an id resolved to at {@code asOf}. */
    public record SegmentsAt(String userId, Instant asOf, List<SegmentAt> segments) {
    }

    /**
     * The segments of {@code id} as they were at {@code asOf}: the entries and exits whose event time is at or
     * before it, folded in log order (as for the stage: decided later but dated before counts). The id resolves
     * as for the as-of profile, with its 404.
     */
    public Uni<SegmentsAt> segments(String id, Instant asOf) {
        return Uni.createFrom().item(() -> segmentsAt(id, asOf)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    SegmentsAt segmentsAt(String id, Instant asOf) {
        String user = rebuild(id, asOf).userId();
        Map<String, SegmentAt> in = new TreeMap<>();
        for (AuditLog.LoggedEvent e : log.events(user)) {
            if (e.payload() instanceof UserEnteredSegment x && !x.at().isAfter(asOf)) {
                in.put(x.segmentId(), new SegmentAt(x.segmentId(), x.at(), x.evaluation(), x.reason(), x.evidence()));
            } else if (e.payload() instanceof UserLeftSegment x && !x.at().isAfter(asOf)) {
                in.remove(x.segmentId());
            }
        }
        return new SegmentsAt(user, asOf, List.copyOf(in.values()));
    }

    ProfileView rebuild(String id, Instant asOf) {
        // the resolution of GET /v1/users/{id}, with the links that existed at asOf
        Optional<ProfileView> view = UserIdResolution.resolve(id, user -> fold(user, asOf), linked -> log.link(linked, asOf));
        return view.orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                        "No user with id '" + id + "' had sent any message by " + asOf + " (event time)")
                .with("userId", id).with("asOf", asOf.toString())));
    }

    private Optional<ProfileView> fold(String userId, Instant asOf) {
        List<AuditLog.LoggedEvent> events = log.events(userId);
        ProfileFold fold = new ProfileFold(userId);
        for (AuditLog.LoggedEvent e : events) {
            Instant at = EventTime.of(e);
            if (at != null && !at.isAfter(asOf)) {
                fold.apply(e.payload(), e.sequence());
            }
        }
        if (fold.isEmpty()) {
            return Optional.empty();
        }
        String linkedTo = log.linkedTo(userId, asOf).orElse(null);
        return Optional.of(fold.view(linkedTo).withAsOf(asOf));
    }
}
