package io.ulm.projection;

import io.ulm.platform.UserIdResolution;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ulm.audit.AsOfProfiles;
import io.ulm.lifecycle.Stage;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import io.ulm.platform.privacy.PersonalData;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads of the user-profile read model, through Hibernate Reactive. */
@Path("/v1")
@Tag(name = "Profiles", description = "User profiles and stage counts (role: read)")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    static final String PROFILE_EXAMPLE = """
            {"userId": "ada", "stage": "MONETIZED", "stageSince": "2024-03-01T11:59:30Z", "stageRule": "monetized",
             "acquiredAt": "2024-03-01T11:58:00Z", "firstSeen": "2024-03-01T11:58:00Z", "lastSeen": "2024-03-01T11:59:30Z",
             "lastActivityAt": "2024-03-01T11:59:30Z", "messages": 2, "activities": 1, "lateMessages": 0, "purchases": 1,
             "refunds": 0, "revenue": 30.0, "refunded": 0.0, "distinctItems": 1,
             "counts": {"identify": {"": 1}, "track": {"Order Completed": 1}},
             "traits": {"email": "[personal]", "plan": "pro"}, "linkedIds": ["anon:anon-5d1c"], "linkedTo": null}""";

    private final PersonalData personalData;
    private final SecurityIdentity identity;
    private final AsOfProfiles asOfProfiles;

    ProfileResource(PersonalData personalData, SecurityIdentity identity, AsOfProfiles asOfProfiles) {
        this.personalData = personalData;
        this.identity = identity;
        this.asOfProfiles = asOfProfiles;
    }

    /**
     * The profile of a user; personal traits are shown to admin keys and masked for read keys.
     * {@code linkedIds}: ids that now resolve to this user; {@code linkedTo}: for a profile recorded under an
     * id that was later linked (an anonymous visitor, an aliased id), the user it now resolves to.
     */
    public record ProfileView(String userId, String stage, java.time.Instant stageSince, String stageRule,
                              java.time.Instant acquiredAt, java.time.Instant firstSeen, java.time.Instant lastSeen,
                              java.time.Instant lastActivityAt, long messages, long activities, long lateMessages,
                              long purchases, long refunds, java.math.BigDecimal revenue, java.math.BigDecimal refunded,
                              int distinctItems, Map<String, Map<String, Long>> counts, JsonNode traits,
                              List<String> linkedIds, String linkedTo,
                              @JsonInclude(JsonInclude.Include.NON_NULL) java.time.Instant asOf) {
        ProfileView withTraits(JsonNode shown) {
            return new ProfileView(userId, stage, stageSince, stageRule, acquiredAt, firstSeen, lastSeen, lastActivityAt,
                    messages, activities, lateMessages, purchases, refunds, revenue, refunded, distinctItems, counts, shown,
                    linkedIds, linkedTo, asOf);
        }

        /** The same profile, rebuilt from the log as it was at {@code instant} ({@code ?asOf=}, see docs/audit.md). */
        public ProfileView withAsOf(java.time.Instant instant) {
            return new ProfileView(userId, stage, stageSince, stageRule, acquiredAt, firstSeen, lastSeen, lastActivityAt,
                    messages, activities, lateMessages, purchases, refunds, revenue, refunded, distinctItems, counts, traits,
                    linkedIds, linkedTo, instant);
        }
    }

    /**
     * The profile row and its counts, traits and links in ONE statement: one snapshot, so the counters
     * and the per-type counts always agree. The id is looked up as a profile first, then as a linked id
     * (an anonymousId or an alias), then as an anonymous profile {@code anon:<id>}.
     */
    private static final String PROFILE = "WITH " + UserIdResolution.ctes("?1") + """
            SELECT p.user_id, p.stage, p.stage_since, p.stage_rule, p.acquired_at, p.first_seen, p.last_seen,
                   p.last_activity_at, p.messages, p.activities, p.late_messages, p.purchases, p.refunds, p.revenue,
                   p.refunded, p.distinct_items,
                   (SELECT coalesce(json_agg(json_build_array(c.type, c.name, c.n)), '[]') FROM user_event_count c
                     WHERE c.user_id = p.user_id)::text,
                   (SELECT coalesce(json_object_agg(t.trait, t.value), '{}') FROM user_trait t WHERE t.user_id = p.user_id)::text,
                   (SELECT coalesce(json_agg(i.linked_id ORDER BY i.linked_id COLLATE "C"), '[]') FROM user_identity i
                     WHERE i.user_id = p.user_id)::text,
                   (SELECT l.user_id FROM identity_link l WHERE l.linked_id = p.user_id)
            FROM user_profile p JOIN target USING (user_id)
            """;

    @GET
    @Path("/users/{id}")
    @APIResponse(responseCode = "200", description = "The profile", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "profile", value = PROFILE_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown", value = "{\"type\":\"/problems/unknown-user\",\"title\":\"Unknown user\",\"status\":404,"
                    + "\"detail\":\"No user with id 'bob' has sent any message\",\"instance\":\"/v1/users/bob\",\"userId\":\"bob\"}")))
    @APIResponse(responseCode = "400", description = "asOf is not an RFC 3339 instant", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad asOf", value = AsOfProfiles.BAD_AS_OF_EXAMPLE)))
    @Operation(summary = "A user's profile", description = "Stage, activity counts, purchases and traits. The id may be a userId, "
            + "an anonymousId (linked to a user, or of an anonymous visitor) or an aliased previous id. With asOf: the profile "
            + "as it was at that instant, rebuilt from the event log (docs/audit.md).")
    public Uni<ProfileView> profile(@PathParam("id") String id,
                                    @Parameter(description = "An RFC 3339 instant: answer with the profile as it was then, rebuilt "
                                            + "from the event log (everything whose event time is at or before it)",
                                            example = "2024-03-01T00:00:00Z") @QueryParam("asOf") String asOf,
                                    @Context UriInfo uri) {
        boolean reveal = identity.hasRole("admin");
        if (asOf != null || uri.getQueryParameters().containsKey("asOf")) { // "?asOf=" too: a 400, not the live profile
            java.time.Instant instant = AsOfProfiles.parse(asOf == null ? "" : asOf);
            return asOfProfiles.profile(id, instant)
                    .chain(view -> reveal(view.userId(), (ObjectNode) view.traits(), reveal).map(view::withTraits));
        }
        // read in one reactive session on the event loop; decrypt afterwards, on a worker
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(PROFILE, Object[].class)
                        .setParameter(1, id).getResultList()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                                "No user with id '" + id + "' has sent any message").with("userId", id));
                    }
                    return view(rows.get(0));
                })
                .chain(view -> reveal(view.userId(), (ObjectNode) view.traits(), reveal).map(view::withTraits));
    }

    @GET
    @Path("/stages")
    @APIResponse(responseCode = "200", description = "Users per stage", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "stages", value = "{\"total\":4372,\"stages\":{\"ACQUIRED\":0,\"ACTIVATED\":0,\"ENGAGED\":0,"
                    + "\"MONETIZED\":1220,\"LOYAL\":451,\"AT_RISK\":1223,\"CHURNED\":1454,\"REACTIVATED\":24}}")))
    @WithSession
    @Operation(summary = "How many users are in each lifecycle stage")
    public Uni<Map<String, Object>> stages() {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "select stage, count(*) from UserProfile where stage is not null group by stage", Object[].class).getResultList())
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (Stage stage : Stage.values()) {
                        counts.put(stage.name(), 0L);
                    }
                    long total = 0;
                    for (Object[] row : rows) {
                        counts.put((String) row[0], (Long) row[1]);
                        total += (Long) row[1];
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("total", total);
                    body.put("stages", counts);
                    return body;
                });
    }

    /** Decrypting reads the key vault (JDBC): off the event loop. */
    private Uni<JsonNode> reveal(String userId, ObjectNode traits, boolean reveal) {
        if (!reveal) {
            ObjectNode masked = traits.deepCopy();
            traits.fields().forEachRemaining(f -> {
                if (PersonalData.isEncrypted(f.getValue())) {
                    masked.set(f.getKey(), TextNode.valueOf("[personal]"));
                }
            });
            return Uni.createFrom().item(masked);
        }
        return Uni.createFrom().item(() -> personalData.reveal(userId, traits))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProfileView view(Object[] r) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (JsonNode c : readJson((String) r[16])) {
            counts.computeIfAbsent(c.get(0).asText(), k -> new TreeMap<>()).put(c.get(1).asText(), c.get(2).asLong());
        }
        List<String> links = new java.util.ArrayList<>();
        readJson((String) r[18]).forEach(l -> links.add(l.asText()));
        return new ProfileView((String) r[0], (String) r[1], instant(r[2]), (String) r[3], instant(r[4]), instant(r[5]),
                instant(r[6]), instant(r[7]), number(r[8]), number(r[9]), number(r[10]), number(r[11]), number(r[12]),
                (java.math.BigDecimal) r[13], (java.math.BigDecimal) r[14], (int) number(r[15]), counts,
                readJson((String) r[17]), links, (String) r[19], null);
    }

    private static java.time.Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.time.Instant i) {
            return i;
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
