package io.ulm.platform;

/**
 * A read model built from the event log. Every CDI bean implementing it is registered with Axon as the
 * event handler of its own pooled streaming processor (named {@link #name()}), with its own tokens, so it
 * can be replayed on its own. Its handlers write with JDBC in the processor's transaction.
 */
public interface Projection {

    /** The processor (and processing group) name; also the name used by the replay endpoints. */
    String name();

    /** Empties the projection's tables before a replay from the start of the log. */
    void reset();
}
