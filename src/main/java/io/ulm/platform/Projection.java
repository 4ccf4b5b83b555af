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

    /** The tables the projection writes (in the public schema), compared by the replay audit. */
    default java.util.List<String> tables() {
        return java.util.List.of();
    }

    /**
     * The same projection writing to the same tables in {@code schema}: the replay audit rebuilds it there
     * from the event log and compares it with the live tables.
     */
    default Projection shadow(String schema) {
        throw new UnsupportedOperationException("projection " + name() + " has no shadow for the replay audit");
    }
}
