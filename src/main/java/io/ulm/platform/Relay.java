package io.ulm.platform;

/**
 * An event handler that sends events out of ULM (not a read model). {@link AxonRuntime} gives each enabled relay a
 * pooled streaming processor of its own, named {@link #name()}, that starts at the head of the log when it has no
 * token yet and retries a failed batch (at-least-once) instead of logging and skipping it. Relays are not
 * {@link Projection}s: the projection replay and audit endpoints never reset them, so a replay never publishes again.
 */
public interface Relay {

    /** The processor (and processing group) name. */
    String name();

    /** A disabled relay gets no processor (e.g. Kafka is not configured). */
    boolean enabled();
}
