package io.ulm.interest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Topic fits in PostgreSQL (shared by all nodes): the fit rows, the corpus they read, the results they write. */
@ApplicationScoped
public class TopicStore {

    /** A fit as the admin API shows it; {@code progress} is iterationsDone / iterations. */
    public record FitStatus(long id, String state, String trigger, int topics, double alpha, double beta, int iterations, int seed,
                            int iterationsDone, double progress, Integer documents, Integer vocabulary, Long tokens,
                            Double logLikelihoodPerToken, Double coherence, String error, Instant requestedAt,
                            Instant updatedAt, Instant finishedAt) {
    }

    /** A RUNNING fit without a heartbeat for this long was abandoned (its node died). */
    static final String ABANDONED_AFTER = "10 minutes";

    private static final String STATUS = """
            SELECT model_id, state, trigger, topics, alpha, beta, iterations, seed, iterations_done, documents, vocabulary, tokens,
                   log_likelihood, coherence, error, requested_at, updated_at, finished_at FROM interest_topic_model
            """;
    /** Catalogue text and users' text about items, per item: the topic model's documents. */
    private static final String DOCUMENTS = """
            SELECT item_id, term, sum(n) FROM (
                SELECT item_id, term, n FROM interest_item_term
                UNION ALL SELECT item_id, term, n FROM interest_user_text WHERE item_id <> '') d
            GROUP BY item_id, term
            """;
    /** Each user's mixture under the active model: her items' distributions weighted by engagements. */
    private static final String USER_MIXTURES = """
            INSERT INTO interest_user_topic (model_id, user_id, topic, p)
            SELECT m.id, ui.user_id, it.topic,
                   round(CAST(sum(ui.engagements * it.p) / sum(sum(ui.engagements * it.p)) OVER (PARTITION BY ui.user_id) AS numeric), 6)
            FROM (SELECT max(model_id) AS id FROM interest_topic_model WHERE state = 'DONE') m
            JOIN interest_item_topic it ON it.model_id = m.id
            JOIN interest_user_item ui ON ui.item_id = it.item_id
            GROUP BY m.id, ui.user_id, it.topic
            """;

    private final DataSource dataSource;

    TopicStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a new RUNNING fit, or returns empty when one is already running (on any node). */
    Optional<Long> start(TopicModeler.Params p, String trigger) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE interest_topic_model SET state = 'FAILED', finished_at = now(), error = 'abandoned: no progress since '"
                        + " || updated_at WHERE state = 'RUNNING' AND updated_at < now() - interval '" + ABANDONED_AFTER + "'");
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO interest_topic_model (state, trigger, topics, alpha, beta, iterations, seed, requested_at, updated_at)
                        VALUES ('RUNNING', ?, ?, ?, ?, ?, ?, now(), now()) ON CONFLICT DO NOTHING RETURNING model_id""")) {
                    ps.setString(1, trigger);
                    ps.setInt(2, p.topics());
                    ps.setDouble(3, p.alpha());
                    ps.setDouble(4, p.beta());
                    ps.setInt(5, p.iterations());
                    ps.setInt(6, p.seed());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                    }
                }
            }
        });
    }

    /** The progress heartbeat. */
    void progress(long id, int iterationsDone) {
        update("UPDATE interest_topic_model SET iterations_done = ?, updated_at = now() WHERE model_id = ? AND state = 'RUNNING'",
                iterationsDone, id);
    }

    void fail(long id, String error) {
        update("UPDATE interest_topic_model SET state = 'FAILED', error = ?, updated_at = now(), finished_at = now() WHERE model_id = ?",
                error, id);
    }

    /** Every item's document: term counts of its title, description and the users' text about it. */
    List<TopicModeler.Document> documents() throws SQLException {
        Map<String, Map<String, Integer>> docs = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DOCUMENTS)) {
            while (rs.next()) {
                docs.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), Math.toIntExact(rs.getLong(3)));
            }
        }
        List<TopicModeler.Document> list = new ArrayList<>(docs.size());
        docs.forEach((id, terms) -> list.add(new TopicModeler.Document(id, terms)));
        return list;
    }

    /**
     * Stores a finished fit in one transaction: its topics and item distributions, the users' mixtures, and
     * the fit as DONE — which makes it the active model. Older models keep their topics (history) but lose
     * their item and user distributions.
     */
    void save(long id, TopicModeler.Fit fit) {
        QuarkusTransaction.requiringNew().timeout(1800).run(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO interest_topic (model_id, topic, share, words) VALUES (?, ?, ?, ?::jsonb)")) {
                    for (TopicModeler.Topic t : fit.topics()) {
                        ps.setLong(1, id);
                        ps.setInt(2, t.topic());
                        ps.setDouble(3, t.share());
                        ps.setString(4, Json.mapper().writeValueAsString(t.words()));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                saveItemTopics(c, id, fit.documents());
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE interest_topic_model SET state = 'DONE', iterations_done = iterations, documents = ?, vocabulary = ?,
                            tokens = ?, log_likelihood = ?, coherence = ?, updated_at = now(), finished_at = now() WHERE model_id = ?""")) {
                    ps.setInt(1, fit.documents().size());
                    ps.setInt(2, fit.vocabulary());
                    ps.setLong(3, fit.tokens());
                    ps.setDouble(4, fit.logLikelihoodPerToken());
                    ps.setDouble(5, fit.coherence());
                    ps.setLong(6, id);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM interest_item_topic WHERE model_id <> ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                userMixtures(c);
            } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Could not store topic model " + id, e);
            }
        });
    }

    /** Item distributions as parallel arrays, in chunks: one statement per 20,000 rows. */
    private static void saveItemTopics(Connection c, long id, Map<String, double[]> documents) throws SQLException {
        String sql = "INSERT INTO interest_item_topic (model_id, item_id, topic, p) SELECT ?, * FROM unnest(?::text[], ?::int[], ?::float8[])";
        List<String> items = new ArrayList<>();
        List<Integer> topics = new ArrayList<>();
        List<Double> ps = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (Map.Entry<String, double[]> d : documents.entrySet()) {
                for (int t = 0; t < d.getValue().length; t++) {
                    items.add(d.getKey());
                    topics.add(t);
                    ps.add(d.getValue()[t]);
                }
                if (items.size() >= 20_000) {
                    flush(c, insert, id, items, topics, ps);
                }
            }
            flush(c, insert, id, items, topics, ps);
        }
    }

    private static void flush(Connection c, PreparedStatement insert, long id, List<String> items, List<Integer> topics,
                              List<Double> ps) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        insert.setLong(1, id);
        insert.setArray(2, c.createArrayOf("text", items.toArray()));
        insert.setArray(3, c.createArrayOf("int4", topics.toArray()));
        insert.setArray(4, c.createArrayOf("float8", ps.toArray()));
        insert.executeUpdate();
        items.clear();
        topics.clear();
        ps.clear();
    }

    /** Recomputes every user's topic mixture under the active model (rounded to 6 decimals: sums in any order agree). */
    static void userMixtures(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM interest_user_topic");
            s.execute(USER_MIXTURES);
        }
    }

    Optional<FitStatus> status(long id) throws SQLException {
        List<FitStatus> found = statuses(STATUS + " WHERE model_id = " + id);
        return found.stream().findFirst();
    }

    Optional<FitStatus> latest() throws SQLException {
        return statuses(STATUS + " ORDER BY model_id DESC LIMIT 1").stream().findFirst();
    }

    private List<FitStatus> statuses(String sql) throws SQLException {
        List<FitStatus> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                int iterations = rs.getInt(7);
                int done = rs.getInt(9);
                out.add(new FitStatus(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getDouble(5), rs.getDouble(6),
                        iterations, rs.getInt(8), done, iterations == 0 ? 0 : Math.round(1000.0 * done / iterations) / 1000.0,
                        rs.getObject(10, Integer.class), rs.getObject(11, Integer.class), rs.getObject(12, Long.class),
                        rs.getObject(13, Double.class), rs.getObject(14, Double.class), rs.getString(15), instant(rs, 16),
                        instant(rs, 17), instant(rs, 18)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private void update(String sql, Object first, long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, first);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update topic fit " + id, e);
        }
    }
}
