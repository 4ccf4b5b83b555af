package io.ulm.winback;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.winback.api.WinbackStepDue;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The win-back sagas' clock: waits are in event time (decision 0007), so a step is due when the lifecycle watermark
 * passes its {@code winback_step.due_at}. Each due row is claimed (SKIP LOCKED: several nodes may sweep), deleted and
 * turned into a {@link WinbackStepDue} event in one transaction; the saga runs the step when its processor handles
 * the event. Runs with the lifecycle sweep's interval; tests and imports may call {@link #sweep(Instant)}.
 */
@ApplicationScoped
public class WinbackSteps {

    private static final String CLAIM = """
            SELECT winback_id, user_id, step, due_at FROM winback_step WHERE due_at <= ? AND (?::text IS NULL OR user_id = ?)
            ORDER BY due_at, winback_id LIMIT 500 FOR UPDATE SKIP LOCKED
            """;

    private final LifecycleClock clock;
    private final DataSource dataSource;
    private final EventStore eventStore;

    WinbackSteps(LifecycleClock clock, DataSource dataSource, EventStore eventStore) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.eventStore = eventStore;
    }

    @Scheduled(every = "${ulm.lifecycle.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "${ulm.lifecycle.sweep-interval}")
    void tick() {
        Instant watermark = clock.watermark();
        if (watermark != null) {
            sweep(watermark);
        }
    }

    /** Publishes every step due by {@code watermark}; returns how many. */
    public int sweep(Instant watermark) {
        return sweep(watermark, null);
    }

    /**
     * Publishes {@code userId}'s steps due by {@code watermark} (every user's when null). With one user, tests move one
     * episode on in event time without waking the others on a shared database.
     */
    int sweep(Instant watermark, String userId) {
        int total = 0;
        while (true) {
            int done = QuarkusTransaction.requiringNew().call(() -> batch(watermark, userId));
            if (done == 0) {
                return total;
            }
            total += done;
        }
    }

    private int batch(Instant watermark, String userId) throws SQLException {
        List<EventMessage<?>> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setObject(1, watermark.atOffset(ZoneOffset.UTC));
                ps.setString(2, userId);
                ps.setString(3, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        due.add(GenericEventMessage.asEventMessage(new WinbackStepDue(rs.getString(2), rs.getString(1),
                                rs.getInt(3), rs.getObject(4, java.time.OffsetDateTime.class).toInstant())));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM winback_step WHERE winback_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", ids.toArray()));
                ps.executeUpdate();
            }
        }
        eventStore.publish(due);   // appended in this transaction: the rows go and the events come together
        return due.size();
    }
}
