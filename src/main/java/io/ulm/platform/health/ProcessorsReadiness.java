package io.ulm.platform.health;

import io.ulm.platform.AxonRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.TreeMap;

/**
 * Readiness: every Axon event processor of this node (projections, relays, the win-back saga) is running. A processor
 * that stopped makes the node unready: its reads go stale and its share of segments is not taken over while it holds
 * them. A processor in error (retrying a failing batch) is reported but keeps the node ready: the fault is usually in
 * the event or a shared dependency, every node would fail it alike, and taking all of them out of the Service would
 * turn stale read models into an outage. Alert on {@code ulm_processor_lag_events} for that (docs/operations.md).
 * Segments claimed by other nodes are normal: they split the work (data: claimed here / segments).
 */
@Readiness
@ApplicationScoped
public class ProcessorsReadiness implements HealthCheck {

    public static final String NAME = "Axon event processors";

    private final AxonRuntime axon;

    ProcessorsReadiness(AxonRuntime axon) {
        this.axon = axon;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        boolean up = true;
        Map<String, EventProcessor> processors = new TreeMap<>(axon.configuration().eventProcessingConfiguration().eventProcessors());
        for (Map.Entry<String, EventProcessor> e : processors.entrySet()) {
            EventProcessor processor = e.getValue();
            boolean running = processor.isRunning();
            up &= running;
            String state = !running ? "stopped" : processor.isError() ? "running, in error (retrying)" : "running";
            if (processor instanceof StreamingEventProcessor streaming) {
                state += ", " + streaming.processingStatus().size() + " segment(s) claimed here";
            }
            response.withData(e.getKey(), state);
        }
        return response.status(up && !processors.isEmpty()).build();
    }
}
