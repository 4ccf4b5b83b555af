package io.ulm.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
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

    private final PersonalData personalData;
    private final SecurityIdentity identity;

    ProfileResource(PersonalData personalData, SecurityIdentity identity) {
        this.personalData = personalData;
        this.identity = identity;
    }

    /** The profile of a user; personal traits are shown to admin keys and masked for read keys. */
    public record ProfileView(String userId, String stage, java.time.Instant stageSince, String stageRule,
                              java.time.Instant acquiredAt, java.time.Instant firstSeen, java.time.Instant lastSeen,
                              java.time.Instant lastActivityAt, long messages, long activities, long lateMessages,
                              long purchases, long refunds, java.math.BigDecimal revenue, java.math.BigDecimal refunded,
                              int distinctItems, Map<String, Map<String, Long>> counts, JsonNode traits,
                              List<String> linkedIds) {
        ProfileView withTraits(JsonNode shown) {
            return new ProfileView(userId, stage, stageSince, stageRule, acquiredAt, firstSeen, lastSeen, lastActivityAt,
                    messages, activities, lateMessages, purchases, refunds, revenue, refunded, distinctItems, counts, shown, linkedIds);
        }
    }

    @GET
    @Path("/users/{id}")
    @Operation(summary = "A user's profile", description = "Stage, activity counts, purchases and traits. The id may be a userId, an anonymousId or an aliased id.")
    public Uni<ProfileView> profile(@PathParam("id") String id) {
        boolean reveal = identity.hasRole("admin");
        // read in one reactive session on the event loop; decrypt afterwards, on a worker
        return Panache.withSession(() -> resolve(id).chain(userId -> UserProfile.<UserProfile>findById(userId))
                        .onItem().ifNull().failWith(() -> new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                                "No user with id '" + id + "' has sent any message").with("userId", id)))
                        .chain(p -> counts(p.userId).chain(counts -> traits(p.userId).chain(traits -> links(p.userId)
                                .map(links -> view(p, counts, traits, links))))))
                .chain(view -> reveal(view.userId(), (ObjectNode) view.traits(), reveal).map(view::withTraits));
    }

    @GET
    @Path("/stages")
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

    /** A linked id (anonymousId, alias) resolves to its user. */
    private Uni<String> resolve(String id) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT user_id FROM identity_link WHERE linked_id IN (?1, ?2) LIMIT 1", String.class)
                .setParameter(1, id).setParameter(2, "anon:" + id).getResultList())
                .map(rows -> rows.isEmpty() ? id : rows.get(0));
    }

    private Uni<Map<String, Map<String, Long>>> counts(String userId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT type, name, n FROM user_event_count WHERE user_id = ?1 ORDER BY type, name", Object[].class)
                .setParameter(1, userId).getResultList())
                .map(rows -> {
                    Map<String, Map<String, Long>> counts = new TreeMap<>();
                    for (Object[] r : rows) {
                        counts.computeIfAbsent((String) r[0], k -> new TreeMap<>()).put((String) r[1], ((Number) r[2]).longValue());
                    }
                    return counts;
                });
    }

    private Uni<ObjectNode> traits(String userId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT trait, value::text FROM user_trait WHERE user_id = ?1 ORDER BY trait", Object[].class)
                .setParameter(1, userId).getResultList())
                .map(rows -> {
                    ObjectNode traits = JsonNodeFactory.instance.objectNode();
                    for (Object[] r : rows) {
                        traits.set((String) r[0], readJson((String) r[1]));
                    }
                    return traits;
                });
    }

    private Uni<List<String>> links(String userId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT linked_id FROM user_identity WHERE user_id = ?1 ORDER BY linked_id", String.class)
                .setParameter(1, userId).getResultList());
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

    private static ProfileView view(UserProfile p, Map<String, Map<String, Long>> counts, JsonNode traits, List<String> links) {
        return new ProfileView(p.userId, p.stage, p.stageSince, p.stageRule, p.acquiredAt, p.firstSeen, p.lastSeen,
                p.lastActivityAt, p.messages, p.activities, p.lateMessages, p.purchases, p.refunds, p.revenue, p.refunded,
                p.distinctItems, counts, traits, links);
    }
}
