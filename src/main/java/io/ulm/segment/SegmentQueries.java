package io.ulm.segment;

import io.ulm.platform.UserIdResolution;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The segment reads, through Hibernate Reactive; each answer is one statement (one snapshot). */
@ApplicationScoped
public class SegmentQueries {

    /** Numbers exactly as stored (325.0 stays 325.0, not 3.25E+2): the as-of answer, read from events, writes them so too. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.mapper().copy()
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    /** A member of a segment, or a segment of a user: since when, found by which evaluation, why. */
    public record Membership(String segmentId, String userId, Instant since, long evaluation, String reason, JsonNode evidence) {
    }

    /** A user's current segments; {@code known} is false when no profile answers to the id. */
    public record UserSegments(String userId, boolean known, List<Membership> segments) {
    }

    /** A stored cluster description. */
    public record StoredCluster(String segmentId, String algorithm, int label, long size, JsonNode description) {
    }

    /** Sizes per segment, the last finished evaluation, the stored clusters and the clustering report: one statement. */
    public record Overview(Map<String, Long> sizes, JsonNode lastEvaluation, List<StoredCluster> clusters, JsonNode clustering) {
    }

    private static final String OVERVIEW = """
            SELECT 0, segment_id, count(*), NULL FROM segment_membership GROUP BY segment_id
            UNION ALL SELECT 1, NULL, NULL, (SELECT json_build_object('id', id, 'watermark', watermark, 'trigger', trigger,
                'clustered', clustered, 'startedAt', started_at, 'finishedAt', finished_at, 'usersChanged', users,
                'entered', entered, 'left', "left", 'skipped', summary->'skipped')::text
                FROM segment_evaluation WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1)
            UNION ALL SELECT 2, segment_id, size, json_build_object('algorithm', algorithm, 'label', label, 'description', description)::text
                FROM segment_cluster
            UNION ALL SELECT 3, NULL, evaluation, json_build_object('evaluation', evaluation, 'watermark', watermark, 'report', report)::text
                FROM segment_clustering
            """;

    private static final String MEMBERS = """
            SELECT segment_id, user_id, since, evaluation, reason, evidence::text FROM segment_membership
            WHERE segment_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3
            """;

    /** The id resolves as for the profile: a profile id, then a linked id (exact, then anon:), then anon:id. */
    private static final String USER = "WITH " + UserIdResolution.ctes("?1") + """
            SELECT t.user_id, p.user_id IS NOT NULL, m.segment_id, m.since, m.evaluation, m.reason, m.evidence::text
            FROM target t LEFT JOIN user_profile p ON p.user_id = t.user_id
            LEFT JOIN segment_membership m ON m.user_id = t.user_id
            ORDER BY m.segment_id
            """;

    public Uni<Overview> overview() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(OVERVIEW, Object[].class).getResultList()))
                .map(rows -> {
                    Map<String, Long> sizes = new TreeMap<>();
                    List<StoredCluster> clusters = new ArrayList<>();
                    JsonNode last = null;
                    JsonNode clustering = null;
                    for (Object[] r : rows) {
                        int kind = ((Number) r[0]).intValue();
                        if (kind == 0) {
                            sizes.put((String) r[1], ((Number) r[2]).longValue());
                        } else if (kind == 1) {
                            last = r[3] == null ? null : json((String) r[3]);
                        } else if (kind == 2) {
                            JsonNode c = json((String) r[3]);
                            clusters.add(new StoredCluster((String) r[1], c.path("algorithm").asText(), c.path("label").asInt(),
                                    ((Number) r[2]).longValue(), c.path("description")));
                        } else {
                            clustering = json((String) r[3]);
                        }
                    }
                    clusters.sort(java.util.Comparator.comparing(StoredCluster::algorithm).reversed()
                            .thenComparingInt(StoredCluster::label));
                    return new Overview(sizes, last, clusters, clustering);
                });
    }

    /** Up to {@code limit} members with a user id after {@code after} (byte order). */
    public Uni<List<Membership>> members(String segmentId, String after, int limit) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(MEMBERS, Object[].class)
                        .setParameter(1, segmentId).setParameter(2, after).setParameter(3, limit).getResultList()))
                .map(rows -> rows.stream().map(r -> new Membership((String) r[0], (String) r[1], instant(r[2]),
                        ((Number) r[3]).longValue(), (String) r[4], json((String) r[5]))).toList());
    }

    public Uni<UserSegments> user(String id) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(USER, Object[].class)
                        .setParameter(1, id).getResultList()))
                .map(rows -> {
                    Object[] first = rows.get(0);
                    List<Membership> segments = new ArrayList<>();
                    for (Object[] r : rows) {
                        if (r[2] != null) {
                            segments.add(new Membership((String) r[2], (String) r[0], instant(r[3]), ((Number) r[4]).longValue(),
                                    (String) r[5], json((String) r[6])));
                        }
                    }
                    return new UserSegments((String) first[0], Boolean.TRUE.equals(first[1]), segments);
                });
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
