package io.ulm.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.ulm.lifecycle.api.AdvanceLifecycleClock;
import io.ulm.platform.Retry;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides what the passing of event time decides: users whose next decision is due by the watermark
 * (inactivity thresholds, messages recorded by an import) get {@link AdvanceLifecycleClock}. Runs on a
 * schedule in live mode and at the end of every import. Several nodes may sweep at once: each claims
 * its rows with SKIP LOCKED, and a decision taken twice decides the same.
 */
@ApplicationScoped
public class ClockSweep {

    private static final String CLAIM = """
            SELECT user_id FROM lifecycle_schedule WHERE due_at <= ? ORDER BY user_id LIMIT ? FOR UPDATE SKIP LOCKED
            """;

    private final LifecycleClock clock;
    private final LifecycleCommands commands;
    private final DataSource dataSource;
    private final int batch;
    private final int attempts;

    ClockSweep(LifecycleClock clock, LifecycleCommands commands, DataSource dataSource, UlmConfig config) {
        this.clock = clock;
        this.commands = commands;
        this.dataSource = dataSource;
        this.batch = config.lifecycle().sweepBatch();
        this.attempts = config.ingest().maxAttempts();
    }

    @Scheduled(every = "${ulm.lifecycle.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "${ulm.lifecycle.sweep-interval}")
    void tick() {
        sweep();
    }

    /** Decides everything due by the shared watermark; returns the number of users decided. */
    public int sweep() {
        Instant watermark = clock.watermark();
        return watermark == null ? 0 : sweepUpTo(watermark);
    }

    /**
     * Decides every user due by {@code watermark} and returns once none is left, including those another
     * sweeper (this node's schedule, another node) was deciding at the same time; returns how many
     * users this call decided.
     */
    public int sweepUpTo(Instant watermark) {
        int total = 0;
        while (true) {
            int done = Retry.times(attempts, () -> QuarkusTransaction.requiringNew().call(() -> sweepBatch(watermark)));
            total += done;
            if (done == 0) {
                if (remaining(watermark) == 0) {
                    return total;
                }
                pause(); // the rows left are held by another sweeper: wait for it to finish them
            }
        }
    }

    private long remaining(Instant watermark) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM lifecycle_schedule WHERE due_at <= ?")) {
            ps.setObject(1, watermark.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the lifecycle schedule", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for another sweeper", e);
        }
    }

    private int sweepBatch(Instant watermark) throws SQLException {
        Map<String, Object> due = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, watermark.atOffset(ZoneOffset.UTC));
            ps.setInt(2, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.put(rs.getString(1), new AdvanceLifecycleClock(rs.getString(1), watermark));
                }
            }
        }
        commands.send(due);
        return due.size();
    }
}
