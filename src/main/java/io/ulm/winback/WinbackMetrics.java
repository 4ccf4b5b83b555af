package io.ulm.winback;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.ulm.platform.TableGauges;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Win-back gauges from the tables the saga writes (docs/operations.md), cluster-wide: {@code ulm_winback_sagas{campaign,
 * state}} (episodes running, WON_BACK, LOST per campaign, and HISTORIC ones apart, from winback_entry), {@code ulm_outbox_backlog} (actions
 * written but not yet published) and {@code ulm_outbox_oldest_unsent_seconds} (how long the oldest of them has waited,
 * wall clock: a relay that stopped publishing shows here first). Refreshed by {@link TableGauges}.
 */
@ApplicationScoped
public class WinbackMetrics implements TableGauges.Source {

    private static final String SAGAS = "SELECT campaign_id, CASE WHEN historic THEN 'HISTORIC' ELSE coalesce(outcome, 'RUNNING') END, count(*) "
            + "FROM winback_entry GROUP BY 1, 2";
    private static final String OUTBOX = "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox WHERE sent_at IS NULL";

    private final DataSource dataSource;
    private final MultiGauge sagas;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    WinbackMetrics(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.sagas = MultiGauge.builder("ulm.winback.sagas").description("Win-back episodes by campaign and state (RUNNING, WON_BACK, LOST)")
                .register(registry);
        Gauge.builder("ulm.outbox.backlog", backlog, AtomicLong::get).description("Actions in the outbox not yet published")
                .register(registry);
        Gauge.builder("ulm.outbox.oldest.unsent", oldestSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest unpublished outbox action").register(registry);
    }

    @Override
    public void refresh() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SAGAS); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(MultiGauge.Row.of(Tags.of("campaign", rs.getString(1), "state", rs.getString(2)), rs.getLong(3)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(OUTBOX); ResultSet rs = ps.executeQuery()) {
                rs.next();
                backlog.set(rs.getLong(1));
                oldestSeconds.set(rs.getLong(2));
            }
            sagas.register(rows, true);
        }
    }
}
