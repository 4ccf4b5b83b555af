package io.ulm.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Ingestion counters (docs/operations.md): {@code ulm_ingest_messages_total{mode,outcome}} (accepted, duplicate,
 * rejected; the ingest rate is its rate) and {@code ulm_ingest_rejected_total{mode,reason}}. Every series exists from
 * startup at 0, so a rate or an alert has a baseline before the first reject. A request or Kafka record refused as a
 * whole (not JSON, too large, a bad envelope) counts as one rejected message: its messages were never looked at.
 */
@ApplicationScoped
@Startup   // registered at startup, not at the first message: the zero series must be there before anything arrives
public class IngestMetrics {

    private final Map<IngestService.Mode, Counter> accepted = new EnumMap<>(IngestService.Mode.class);
    private final Map<IngestService.Mode, Counter> duplicates = new EnumMap<>(IngestService.Mode.class);
    private final Map<IngestService.Mode, Counter> rejectedMessages = new EnumMap<>(IngestService.Mode.class);
    private final Map<IngestService.Mode, Map<MessageError.Reason, Counter>> rejected = new EnumMap<>(IngestService.Mode.class);

    IngestMetrics(MeterRegistry registry) {
        for (IngestService.Mode mode : IngestService.Mode.values()) {
            String m = mode.name().toLowerCase(Locale.ROOT);
            accepted.put(mode, messages(registry, m, "accepted"));
            duplicates.put(mode, messages(registry, m, "duplicate"));
            rejectedMessages.put(mode, messages(registry, m, "rejected"));
            Map<MessageError.Reason, Counter> byReason = new EnumMap<>(MessageError.Reason.class);
            for (MessageError.Reason reason : MessageError.Reason.values()) {
                byReason.put(reason, Counter.builder("ulm.ingest.rejected").description("Messages rejected, by reason")
                        .tag("mode", m).tag("reason", reason.tag()).register(registry));
            }
            rejected.put(mode, byReason);
        }
    }

    private static Counter messages(MeterRegistry registry, String mode, String outcome) {
        return Counter.builder("ulm.ingest.messages").description("Messages received, by outcome")
                .tag("mode", mode).tag("outcome", outcome).register(registry);
    }

    /** What one ingestion call did with its messages. */
    void record(IngestService.Mode mode, int accepted, int duplicates) {
        this.accepted.get(mode).increment(accepted);
        this.duplicates.get(mode).increment(duplicates);
    }

    /** One rejected message (or request refused as a whole). */
    public void rejected(IngestService.Mode mode, MessageError.Reason reason) {
        rejectedMessages.get(mode).increment();
        rejected.get(mode).get(reason).increment();
    }
}
