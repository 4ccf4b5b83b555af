package io.ulm.segment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFM: recency, frequency and monetary value of every buyer at the watermark, scored 1–5 by quintile and
 * named by the usual R × F grid (docs/segments.md has the table). Computed in one statement from the
 * analytics projection, bounded by the watermark's UTC day, so an evaluation sees the same figures
 * whenever it runs.
 */
public final class Rfm {

    /** The eleven named segments and the R and F scores each covers (inclusive ranges). */
    public enum Named {
        CHAMPIONS("champions", "Champions", 5, 5, 4, 5),
        LOYAL("loyal", "Loyal", 3, 4, 4, 5),
        POTENTIAL_LOYALIST("potential-loyalist", "Potential Loyalist", 4, 5, 2, 3),
        NEW("new", "New", 5, 5, 1, 1),
        PROMISING("promising", "Promising", 4, 4, 1, 1),
        NEED_ATTENTION("need-attention", "Need Attention", 3, 3, 3, 3),
        ABOUT_TO_SLEEP("about-to-sleep", "About to Sleep", 3, 3, 1, 2),
        AT_RISK("at-risk", "At Risk", 1, 2, 3, 4),
        CANT_LOSE("cant-lose", "Can't Lose", 1, 2, 5, 5),
        HIBERNATING("hibernating", "Hibernating", 2, 2, 1, 2),
        LOST("lost", "Lost", 1, 1, 1, 2);

        public final String slug;
        public final String title;
        final int rMin;
        final int rMax;
        final int fMin;
        final int fMax;

        Named(String slug, String title, int rMin, int rMax, int fMin, int fMax) {
            this.slug = slug;
            this.title = title;
            this.rMin = rMin;
            this.rMax = rMax;
            this.fMin = fMin;
            this.fMax = fMax;
        }

        public String segmentId() {
            return "rfm:" + slug;
        }

        public String description() {
            return "R " + range(rMin, rMax) + ", F " + range(fMin, fMax);
        }

        private static String range(int a, int b) {
            return a == b ? Integer.toString(a) : a + "-" + b;
        }

        /** The segment of an R and an F score; the grid covers each of the 25 cells exactly once. */
        public static Named of(int r, int f) {
            for (Named n : values()) {
                if (r >= n.rMin && r <= n.rMax && f >= n.fMin && f <= n.fMax) {
                    return n;
                }
            }
            throw new IllegalArgumentException("R " + r + ", F " + f + " is outside the RFM grid");
        }
    }

    /** One buyer's figures and scores. */
    public record Score(String userId, long recencyDays, long frequency, BigDecimal monetary, int r, int f, int m) {
        public Named segment() {
            return Named.of(r, f);
        }

        Map<String, Object> evidence() {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("recencyDays", recencyDays);
            e.put("frequency", frequency);
            e.put("monetary", monetary);
            e.put("r", r);
            e.put("f", f);
            e.put("m", m);
            return e;
        }

        String reason() {
            return "R " + r + ", F " + f + ": " + segment().title;
        }
    }

    /**
     * Buyers = users with at least one purchase by the watermark's day. R = days from the last purchase day
     * to the watermark's day; F = purchases (orders); M = purchase revenue minus refunds. ntile(5) deals the
     * ordered users into five equal buckets (the first ones one larger when n is not a multiple of 5); ties
     * are broken by user id in byte order, so the scores are reproducible. Recency is ordered from the
     * oldest, so the most recent buyers score R = 5.
     */
    static final String SQL = """
            WITH b AS (
                SELECT user_id, ?::date - max(day) FILTER (WHERE purchases > 0) AS recency, sum(purchases) AS frequency,
                       sum(revenue) - sum(refunded) AS monetary
                FROM analytics_activity_day WHERE day <= ?::date
                GROUP BY user_id HAVING sum(purchases) > 0)
            SELECT user_id, recency, frequency, monetary,
                   ntile(5) OVER (ORDER BY recency DESC, user_id COLLATE "C") AS r,
                   ntile(5) OVER (ORDER BY frequency, user_id COLLATE "C") AS f,
                   ntile(5) OVER (ORDER BY monetary, user_id COLLATE "C") AS m
            FROM b ORDER BY user_id COLLATE "C"
            """;

    private Rfm() {
    }

    /** Every buyer's scores at the watermark's UTC day. */
    public static List<Score> scores(Connection c, LocalDate watermarkDay) throws SQLException {
        List<Score> scores = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setObject(1, watermarkDay);
            ps.setObject(2, watermarkDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scores.add(new Score(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4),
                            rs.getInt(5), rs.getInt(6), rs.getInt(7)));
                }
            }
        }
        return scores;
    }
}
