package io.ulm.feature;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The {@code user_feature} row to and from a {@link FeatureState} (columns in the order of V7__features.sql). */
final class FeatureRows {

    /** The columns after user_id, as SELECTed and bound. */
    static final String COLUMNS = "acquired_at, activities, first_activity_at, last_activity_at, sessions, purchases, "
            + "first_purchase_at, last_purchase_at, refunds, revenue, refunded";

    private FeatureRows() {
    }

    /** Reads the columns of {@link #COLUMNS} starting at column 2 (column 1 is the user id). */
    static void read(ResultSet rs, FeatureState s) throws SQLException {
        s.acquiredAt = instant(rs, 2);
        s.activities = rs.getLong(3);
        s.firstActivityAt = instant(rs, 4);
        s.lastActivityAt = instant(rs, 5);
        s.sessions = rs.getLong(6);
        s.purchases = rs.getLong(7);
        s.firstPurchaseAt = instant(rs, 8);
        s.lastPurchaseAt = instant(rs, 9);
        s.refunds = rs.getLong(10);
        s.revenue = rs.getBigDecimal(11);
        s.refunded = rs.getBigDecimal(12);
    }

    static void bind(PreparedStatement ps, String userId, FeatureState s) throws SQLException {
        ps.setString(1, userId);
        setInstant(ps, 2, s.acquiredAt);
        ps.setLong(3, s.activities);
        setInstant(ps, 4, s.firstActivityAt);
        setInstant(ps, 5, s.lastActivityAt);
        ps.setLong(6, s.sessions);
        ps.setLong(7, s.purchases);
        setInstant(ps, 8, s.firstPurchaseAt);
        setInstant(ps, 9, s.lastPurchaseAt);
        ps.setLong(10, s.refunds);
        ps.setBigDecimal(11, s.revenue);
        ps.setBigDecimal(12, s.refunded);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }
}
