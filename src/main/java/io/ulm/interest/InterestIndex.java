package io.ulm.interest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The derived half of the text interests, recomputed rather than replayed: the terms of every catalogue
 * item (re-analysed only when its title or description changed), the document frequencies over users and N,
 * and the users' topic mixtures under the active topic model. One node at a time (a transaction-scoped
 * advisory lock); readers see the old statistics or the new ones, never a mix (one transaction). Skipped
 * when nothing it reads has changed since the last run.
 */
@ApplicationScoped
public class InterestIndex {

    private static final Logger LOG = Logger.getLogger(InterestIndex.class);
    /** Advisory lock key of the refresh ("ulm-itxt"). */
    private static final long LOCK = 0x756c6d2d69747874L;
    private static final String CHANGED_ITEMS = """
            SELECT i.item_id, i.title, i.description, h.md5
            FROM item i CROSS JOIN LATERAL (SELECT md5(coalesce(i.title, '') || E'\\n' || coalesce(i.description, '')) AS md5) h
            LEFT JOIN interest_item_text t ON t.item_id = i.item_id
            WHERE t.text_md5 IS DISTINCT FROM h.md5
            """;
    private static final String FINGERPRINT = """
            SELECT (SELECT count(*) || ':' || coalesce(sum(engagements), 0) FROM interest_user_item) || '/'
                || (SELECT count(*) || ':' || coalesce(sum(n), 0) FROM interest_user_text) || '/'
                || (SELECT count(*) || ':' || coalesce(sum(n), 0) FROM interest_item_term) || '/'
                || coalesce((SELECT max(model_id) FROM interest_topic_model WHERE state = 'DONE'), 0)
            """;
    /** (user, term) pairs of every user's bag; N = distinct users among them. */
    private static final String DOCUMENT_FREQUENCIES = """
            WITH pairs AS (
                SELECT user_id, term FROM interest_user_text
                UNION
                SELECT ui.user_id, t.term FROM interest_user_item ui JOIN interest_item_term t ON t.item_id = ui.item_id),
            ins AS (INSERT INTO interest_term_df (term, df) SELECT term, count(*) FROM pairs GROUP BY term RETURNING 1)
            SELECT (SELECT count(DISTINCT user_id) FROM pairs), (SELECT count(*) FROM ins)
            """;
    private static final String SAVE_CORPUS = """
            INSERT INTO interest_corpus (id, users, terms, analyzer, fingerprint, refreshed_at) VALUES (1, ?, ?, ?, ?, now())
            ON CONFLICT (id) DO UPDATE SET users = EXCLUDED.users, terms = EXCLUDED.terms, analyzer = EXCLUDED.analyzer,
                fingerprint = EXCLUDED.fingerprint, refreshed_at = EXCLUDED.refreshed_at
            """;

    /** What a refresh did: ran (false: another node held the lock), items analysed, recomputed or skipped. */
    public record Refresh(boolean ran, int itemsAnalysed, boolean recomputed, long users, long terms, double seconds) {
    }

    private final DataSource dataSource;
    private final TextAnalyzer analyzer;

    InterestIndex(DataSource dataSource, InterestConfig config) {
        this.dataSource = dataSource;
        this.analyzer = TextAnalyzer.of(config);
    }

    /**
     * Brings the derived tables up to date. {@code wait}: wait for a refresh running on another node and then
     * run (on demand, before a fit); otherwise give up at once (the schedule: the other node is doing it).
     */
    public Refresh refresh(boolean wait) {
        long started = System.nanoTime();
        Refresh r = QuarkusTransaction.requiringNew().timeout(1800).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return refresh(c, wait, started);
            }
        });
        if (r.recomputed()) {
            LOG.debugf("interest refresh: %s", r);
        }
        return r;
    }

    private Refresh refresh(Connection c, boolean wait, long started) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(wait ? "SELECT pg_advisory_xact_lock(" + LOCK + "), true"
                     : "SELECT true, pg_try_advisory_xact_lock(" + LOCK + ")")) {
            rs.next();
            if (!rs.getBoolean(2)) {
                return new Refresh(false, 0, false, 0, 0, 0);
            }
        }
        String[] corpus = corpus(c);
        if (corpus != null && !analyzer.description().equals(corpus[0])) {
            // other analyzer settings: every item's terms are stale
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE interest_item_text, interest_item_term");
            }
        }
        int analysed = analyseChangedItems(c);
        String fingerprint = scalar(c, FINGERPRINT);
        if (corpus != null && analysed == 0 && analyzer.description().equals(corpus[0]) && fingerprint.equals(corpus[1])) {
            return new Refresh(true, 0, false, 0, 0, seconds(started));
        }
        long[] stats;
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM interest_term_df");
            try (ResultSet rs = s.executeQuery(DOCUMENT_FREQUENCIES)) {
                rs.next();
                stats = new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
        TopicStore.userMixtures(c);
        try (PreparedStatement ps = c.prepareStatement(SAVE_CORPUS)) {
            ps.setLong(1, stats[0]);
            ps.setLong(2, stats[1]);
            ps.setString(3, analyzer.description());
            ps.setString(4, fingerprint);
            ps.executeUpdate();
        }
        return new Refresh(true, analysed, true, stats[0], stats[1], seconds(started));
    }

    /** Analyses items whose title or description changed (or are new); drops the terms of items that are gone. */
    private int analyseChangedItems(Connection c) throws SQLException {
        List<String[]> changed = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CHANGED_ITEMS)) {
            while (rs.next()) {
                changed.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM interest_item_term t WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.item_id = t.item_id)");
            s.execute("DELETE FROM interest_item_text t WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.item_id = t.item_id)");
        }
        if (changed.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM interest_item_term WHERE item_id = ANY(?)")) {
            delete.setArray(1, c.createArrayOf("text", changed.stream().map(r -> r[0]).toArray()));
            delete.executeUpdate();
        }
        try (PreparedStatement terms = c.prepareStatement("INSERT INTO interest_item_term (item_id, term, n) VALUES (?, ?, ?)");
             PreparedStatement text = c.prepareStatement("""
                     INSERT INTO interest_item_text (item_id, text_md5) VALUES (?, ?)
                     ON CONFLICT (item_id) DO UPDATE SET text_md5 = EXCLUDED.text_md5""")) {
            for (String[] item : changed) {
                String body = (item[1] == null ? "" : item[1]) + "\n" + (item[2] == null ? "" : item[2]);
                for (Map.Entry<String, Integer> t : analyzer.counts(body).entrySet()) {
                    terms.setString(1, item[0]);
                    terms.setString(2, t.getKey());
                    terms.setLong(3, t.getValue());
                    terms.addBatch();
                }
                text.setString(1, item[0]);
                text.setString(2, item[3]);
                text.addBatch();
            }
            terms.executeBatch();
            text.executeBatch();
        }
        return changed.size();
    }

    /** {analyzer, fingerprint} of the last refresh, or null before the first. */
    private static String[] corpus(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT analyzer, fingerprint FROM interest_corpus WHERE id = 1")) {
            return rs.next() ? new String[]{rs.getString(1), rs.getString(2)} : null;
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
