package io.ulm.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.ulm.platform.TableGauges;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming processor progress as gauges (docs/operations.md), from the token store, so every node reports the whole
 * cluster's view: {@code ulm_processor_lag_events{processor,segment}} (events in the log not yet processed by that
 * segment), {@code ulm_processor_position{processor,segment}}, {@code ulm_processor_replaying{processor,segment}} (1
 * while a replay rebuilds it) and {@code ulm_processor_claimed{processor,segment}} (1 when a node holds the segment's
 * claim). Refreshed by {@link TableGauges}.
 */
@ApplicationScoped
public class ProcessorMetrics implements TableGauges.Source {

    private final ProjectionProgress progress;
    private final MultiGauge lag;
    private final MultiGauge position;
    private final MultiGauge replaying;
    private final MultiGauge claimed;

    ProcessorMetrics(ProjectionProgress progress, MeterRegistry registry) {
        this.progress = progress;
        this.lag = MultiGauge.builder("ulm.processor.lag").baseUnit("events")
                .description("Events stored but not yet processed, per streaming processor segment (cluster-wide)").register(registry);
        this.position = MultiGauge.builder("ulm.processor.position")
                .description("Global index of the last event processed, per segment").register(registry);
        this.replaying = MultiGauge.builder("ulm.processor.replaying")
                .description("1 while the segment replays after a reset").register(registry);
        this.claimed = MultiGauge.builder("ulm.processor.claimed")
                .description("1 when some node holds the segment's claim").register(registry);
    }

    @Override
    public void refresh() {
        ProjectionProgress.Segments all = progress.segments();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> positions = new ArrayList<>();
        List<MultiGauge.Row<?>> replays = new ArrayList<>();
        List<MultiGauge.Row<?>> claims = new ArrayList<>();
        for (ProjectionProgress.Segment s : all.segments()) {
            Tags tags = Tags.of("processor", s.processor(), "segment", Integer.toString(s.segment()));
            lags.add(MultiGauge.Row.of(tags, Math.max(0, s.lag())));
            positions.add(MultiGauge.Row.of(tags, s.position()));
            replays.add(MultiGauge.Row.of(tags, s.replaying() ? 1 : 0));
            claims.add(MultiGauge.Row.of(tags, s.owner() == null ? 0 : 1));
        }
        lag.register(lags, true);
        position.register(positions, true);
        replaying.register(replays, true);
        claimed.register(claims, true);
    }
}
