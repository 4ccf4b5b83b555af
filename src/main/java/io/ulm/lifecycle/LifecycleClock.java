package io.ulm.lifecycle;

import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event-time clock: the latest event time ULM has ingested ({@code lifecycle_clock}, shared by all
 * nodes). The watermark is that minus the allowed lateness: the stage rules decide everything up to
 * it. It advances with the data, never with the wall clock, so an import of history and live traffic
 * decide the same way.
 */
@ApplicationScoped
public class LifecycleClock {

    private final DataSource dataSource;
    private final Duration lateness;
    /** This node's view of the shared maximum; only ever moves forward. */
    private final AtomicReference<Instant> known = new AtomicReference<>();

    LifecycleClock(DataSource dataSource, UlmConfig config) {
        this.dataSource = dataSource;
        this.lateness = config.lifecycle().allowedLateness();
    }

    public Duration allowedLateness() {
        return lateness;
    }

    /** The watermark for a request whose own latest event time is {@code batchMax}. */
    public Instant watermarkWith(Instant batchMax) {
        Instant max = later(known.get(), batchMax);
        return max == null ? null : max.minus(lateness);
    }

    /** The shared watermark, read from the database. */
    public Instant watermark() {
        Instant max = refresh();
        return max == null ? null : max.minus(lateness);
    }

    /** Records that events up to {@code eventTime} were stored (after their transaction committed). */
    public void advance(Instant eventTime) {
        if (eventTime == null) {
            return;
        }
        Instant current = known.get();
        if (current != null && !eventTime.isAfter(current)) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE lifecycle_clock SET max_event_time = ? "
                     + "WHERE id = 1 AND (max_event_time IS NULL OR max_event_time < ?)")) {
            ps.setObject(1, eventTime.atOffset(ZoneOffset.UTC));
            ps.setObject(2, eventTime.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not advance the lifecycle clock", e);
        }
        known.accumulateAndGet(eventTime, LifecycleClock::later);
    }

    private Instant refresh() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT max_event_time FROM lifecycle_clock WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            Timestamp max = rs.next() ? rs.getTimestamp(1) : null;
            return max == null ? known.get() : known.accumulateAndGet(max.toInstant(), LifecycleClock::later);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the lifecycle clock", e);
        }
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
