package io.ulm.segment;

import org.apache.commons.math3.ml.clustering.Clusterable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The behavioural features clusters are built on, per buyer at the watermark's UTC day, and their scaling.
 * RFM figures are heavy-tailed (a few wholesalers spend a thousand times the median), so recency, frequency
 * and money are log-scaled before the z-score; otherwise one feature's outliers would make every cluster.
 */
public final class ClusterFeatures {

    /** Feature names, in vector order (docs/segments.md). */
    public static final List<String> NAMES = List.of("recencyDays", "frequency", "monetary", "tenureDays", "activityTrend");

    /** How each feature is transformed before standardising, and back. */
    private static final DoubleUnaryOperator[] FORWARD = {Math::log1p, Math::log1p, ClusterFeatures::signedLog1p, x -> x, x -> x};
    private static final DoubleUnaryOperator[] INVERSE = {Math::expm1, Math::expm1, ClusterFeatures::signedExpm1, x -> x, x -> x};

    /**
     * Buyers as in RFM; tenure = days from acquisition to the watermark's day; activity trend =
     * ln(1 + activities in the last 28 days) - ln(1 + activities in the 28 days before): 0 = steady,
     * +ln 2 ≈ 0.69 = about twice as active lately, negative = slowing down.
     */
    private static final String SQL = """
            WITH w AS (SELECT CAST(? AS date) AS d),
            b AS (
                SELECT a.user_id, w.d - max(a.day) FILTER (WHERE a.purchases > 0) AS recency, sum(a.purchases) AS frequency,
                       sum(a.revenue) - sum(a.refunded) AS monetary,
                       coalesce(sum(a.activities) FILTER (WHERE a.day > w.d - 28), 0) AS recent,
                       coalesce(sum(a.activities) FILTER (WHERE a.day > w.d - 56 AND a.day <= w.d - 28), 0) AS before
                FROM analytics_activity_day a CROSS JOIN w WHERE a.day <= w.d
                GROUP BY a.user_id, w.d HAVING sum(a.purchases) > 0)
            SELECT b.user_id, b.recency, b.frequency, b.monetary,
                   coalesce(w.d - CAST(q.acquired_at AT TIME ZONE 'UTC' AS date), b.recency), b.recent, b.before
            FROM b CROSS JOIN w LEFT JOIN analytics_acquisition q ON q.user_id = b.user_id
            ORDER BY b.user_id COLLATE "C"
            """;

    /** A user as a point: her features in original units and scaled (what the clusterers see). */
    public record UserPoint(String userId, double[] raw, double[] scaled) implements Clusterable {
        @Override
        public double[] getPoint() {
            return scaled;
        }

        public Map<String, Object> features() {
            return ClusterFeatures.named(raw);
        }
    }

    /** Per-feature mean and standard deviation of the transformed features. */
    public record Scaling(double[] mean, double[] sd) {
        double[] scale(double[] raw) {
            double[] z = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                z[i] = (FORWARD[i].applyAsDouble(raw[i]) - mean[i]) / sd[i];
            }
            return z;
        }

        /** A point of the scaled space in original units (a k-means centroid, for instance). */
        public double[] unscale(double[] z) {
            double[] raw = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                raw[i] = INVERSE[i].applyAsDouble(z[i] * sd[i] + mean[i]);
            }
            return raw;
        }
    }

    /** The points and the scaling that made them. */
    public record Points(List<UserPoint> points, Scaling scaling) {
    }

    private ClusterFeatures() {
    }

    public static Points read(Connection c, LocalDate watermarkDay) throws SQLException {
        List<String> users = new ArrayList<>();
        List<double[]> raws = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setObject(1, watermarkDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                    double trend = Math.log1p(rs.getLong(6)) - Math.log1p(rs.getLong(7));
                    raws.add(new double[]{rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4).doubleValue(), rs.getLong(5), trend});
                }
            }
        }
        Scaling scaling = scaling(raws);
        List<UserPoint> points = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            points.add(new UserPoint(users.get(i), raws.get(i), scaling.scale(raws.get(i))));
        }
        return new Points(points, scaling);
    }

    static Scaling scaling(List<double[]> raws) {
        int d = NAMES.size();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int i = 0; i < d; i++) {
            final int f = i;
            double[] t = raws.stream().mapToDouble(r -> FORWARD[f].applyAsDouble(r[f])).toArray();
            double m = java.util.Arrays.stream(t).average().orElse(0);
            double var = java.util.Arrays.stream(t).map(x -> (x - m) * (x - m)).sum() / Math.max(1, t.length - 1);
            mean[i] = m;
            sd[i] = var > 0 ? Math.sqrt(var) : 1; // a constant feature carries no information: leave it at 0
        }
        return new Scaling(mean, sd);
    }

    /** Features by name, rounded for reading (4 decimals). */
    static Map<String, Object> named(double[] raw) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            m.put(NAMES.get(i), Math.round(raw[i] * 10_000) / 10_000.0);
        }
        return m;
    }

    private static double signedLog1p(double x) {
        return Math.signum(x) * Math.log1p(Math.abs(x));
    }

    private static double signedExpm1(double y) {
        return Math.signum(y) * Math.expm1(Math.abs(y));
    }
}
