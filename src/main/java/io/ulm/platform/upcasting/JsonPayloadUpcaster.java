package io.ulm.platform.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * One step of a domain event's schema: turns the JSON payload of revision {@code from} of {@code payloadType} into
 * revision {@code to}, on read. Events in the store are never rewritten; every reader (aggregates, processors,
 * replays, the audit's event reads) goes through the event store's upcaster chain (docs/schema-evolution.md). The
 * step itself is a pure function of the old payload, testable without Axon.
 */
public abstract class JsonPayloadUpcaster extends SingleEventUpcaster {

    private final String payloadType;
    private final String from;
    private final String to;

    protected JsonPayloadUpcaster(Class<?> payloadType, String from, String to) {
        this.payloadType = payloadType.getName();
        this.from = from;
        this.to = to;
    }

    /** The payload of revision {@code to}, from one of revision {@code from} (a copy may be changed in place). */
    public abstract ObjectNode upcast(ObjectNode payload);

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return payloadType.equals(event.getType().getName()) && from.equals(event.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(new SimpleSerializedType(payloadType, to), JsonNode.class,
                payload -> upcast(((ObjectNode) payload).deepCopy()));
    }

    public String payloadType() {
        return payloadType;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }
}
