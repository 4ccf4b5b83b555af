package io.ulm.interest;

import io.ulm.platform.UserIdResolution;
import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads behind the interest endpoints, through Hibernate Reactive on the event loop. The user's bag is
 * assembled at read time from the projection (her engagements and her own words) and the item terms, so
 * it is as fresh as the projection; df and N come from the last refresh.
 */
@ApplicationScoped
public class InterestQueries {

    /** The id as a user (profile, linked anonymous id or alias, anonymous profile, or interest data only), and her bag. */
    private static final String BAG = "WITH " + UserIdResolution.ctes("?1") + """
            , interest_target AS (SELECT coalesce(
                    CASE WHEN known.user_id IS NOT NULL OR EXISTS (SELECT 1 FROM user_profile p WHERE p.user_id = target.user_id)
                         THEN target.user_id END,
                    (SELECT user_id FROM interest_user_item WHERE user_id = lookup.id LIMIT 1),
                    (SELECT user_id FROM interest_user_text WHERE user_id = lookup.id LIMIT 1)) AS user_id FROM known, target, lookup),
            bag AS (
                SELECT term, CAST(sum(n) AS bigint) AS n FROM (
                    SELECT x.term, x.n * ?2 AS n FROM interest_user_text x JOIN interest_target ON x.user_id = interest_target.user_id
                    UNION ALL
                    SELECT t.term, t.n * ui.engagements FROM interest_user_item ui JOIN interest_target ON ui.user_id = interest_target.user_id
                    JOIN interest_item_term t ON t.item_id = ui.item_id) b
                GROUP BY term)
            SELECT interest_target.user_id, bag.term, bag.n, coalesce(df.df, 0), coalesce(c.users, 0), c.refreshed_at
            FROM interest_target LEFT JOIN bag ON true LEFT JOIN interest_term_df df ON df.term = bag.term
            LEFT JOIN interest_corpus c ON c.id = 1
            """;
    private static final String USER_TOPICS = """
            SELECT ut.model_id, ut.topic, ut.p, t.words::text FROM interest_user_topic ut
            JOIN interest_topic t ON t.model_id = ut.model_id AND t.topic = ut.topic
            WHERE ut.user_id = ?1 ORDER BY ut.p DESC, ut.topic LIMIT ?2
            """;
    private static final String TOPICS = """
            SELECT m.model_id, m.topics, m.alpha, m.beta, m.iterations, m.seed, m.documents, m.vocabulary, m.tokens,
                   m.log_likelihood, m.coherence, m.finished_at, t.topic, t.share, t.words::text
            FROM interest_topic_model m JOIN interest_topic t ON t.model_id = m.model_id
            WHERE m.state = 'DONE' AND m.model_id = CASE WHEN ?1 < 0
                THEN (SELECT max(model_id) FROM interest_topic_model WHERE state = 'DONE') ELSE ?1 END
            ORDER BY t.topic
            """;

    /** A topic in a user's mixture, with its leading words so a reader can tell what it is about. */
    public record TopicInterest(int topic, double weight, List<String> words) {
    }

    /** GET /v1/users/{id}/interests. {@code related}: where the other interests of the user are served. */
    public record Interests(String userId, List<TfIdf.Keyword> keywords, long documents, Instant statisticsAt,
                            Long topicModel, List<TopicInterest> topics, Map<String, String> related) {
    }

    public record TopicView(int topic, double share, List<TopicModeler.Word> words) {
    }

    /** GET /v1/topics: the model (null before the first fit) and its topics. */
    public record Model(Long id, Integer k, Double alpha, Double beta, Integer iterations, Integer seed, Integer documents,
                        Integer vocabulary, Long tokens, Double logLikelihoodPerToken, Double coherence, Instant fittedAt) {
    }

    public record Topics(Model model, List<TopicView> topics) {
    }

    private static final TypeReference<List<TopicModeler.Word>> WORDS = new TypeReference<>() {
    };

    private final InterestConfig config;

    InterestQueries(InterestConfig config) {
        this.config = config;
    }

    public Uni<Interests> interests(String id, int keywords, int topics) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(BAG, Object[].class).setParameter(1, id)
                .setParameter(2, config.ownTextWeight()).getResultList().chain(bag -> {
                    String user = bag.isEmpty() ? null : (String) bag.get(0)[0];
                    if (user == null) {
                        throw new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                                "No user with id '" + id + "' has sent any message").with("userId", id));
                    }
                    return s.createNativeQuery(USER_TOPICS, Object[].class).setParameter(1, user).setParameter(2, topics)
                            .getResultList().map(rows -> interests(user, bag, rows, keywords, config));
                })));
    }

    private static Interests interests(String user, List<Object[]> bag, List<Object[]> topicRows, int n, InterestConfig config) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> df = new HashMap<>();
        long documents = ((Number) bag.get(0)[4]).longValue();
        Instant at = instant(bag.get(0)[5]);
        for (Object[] r : bag) {
            if (r[1] != null) {
                counts.put((String) r[1], ((Number) r[2]).longValue());
                df.put((String) r[1], ((Number) r[3]).longValue());
            }
        }
        List<TfIdf.Keyword> keywords = TfIdf.top(counts, df, documents, n, config.keywordMinCount(), config.keywordMinDf()).stream()
                .map(k -> new TfIdf.Keyword(k.term(), round(k.score()), k.count(), k.df())).toList();
        List<TopicInterest> topics = new ArrayList<>();
        Long model = null;
        for (Object[] r : topicRows) {
            model = ((Number) r[0]).longValue();
            List<String> words = words((String) r[3]).stream().limit(5).map(TopicModeler.Word::word).toList();
            topics.add(new TopicInterest(((Number) r[1]).intValue(), round(((Number) r[2]).doubleValue()), words));
        }
        Map<String, String> related = new LinkedHashMap<>();
        related.put("categories", "/v1/users/" + user + "/features");
        return new Interests(user, keywords, documents, at, model, topics, related);
    }

    public Uni<Topics> topics(long model, int words) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(TOPICS, Object[].class)
                .setParameter(1, model).getResultList())).map(rows -> {
                    if (rows.isEmpty()) {
                        if (model >= 0) {
                            throw new ProblemException(Problem.of(404, "unknown-model", "Unknown topic model",
                                    "No finished topic model " + model).with("model", model));
                        }
                        return new Topics(null, List.of());
                    }
                    Object[] m = rows.get(0);
                    Model header = new Model(((Number) m[0]).longValue(), ((Number) m[1]).intValue(), ((Number) m[2]).doubleValue(),
                            ((Number) m[3]).doubleValue(), ((Number) m[4]).intValue(), ((Number) m[5]).intValue(),
                            ((Number) m[6]).intValue(), ((Number) m[7]).intValue(), ((Number) m[8]).longValue(),
                            round(((Number) m[9]).doubleValue()), round(((Number) m[10]).doubleValue()), instant(m[11]));
                    List<TopicView> topics = rows.stream().map(r -> new TopicView(((Number) r[12]).intValue(),
                            round(((Number) r[13]).doubleValue()), words((String) r[14]).stream().limit(words)
                            .map(w -> new TopicModeler.Word(w.word(), round(w.weight()))).toList())).toList();
                    return new Topics(header, topics);
                });
    }

    private static List<TopicModeler.Word> words(String json) {
        try {
            return Json.mapper().readValue(json, WORDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    private static Instant instant(Object value) {
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
