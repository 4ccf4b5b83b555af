package io.ulm.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.catalogue.Catalogue;
import io.ulm.catalogue.ItemDefinition;
import io.ulm.ingest.IngestService;
import io.ulm.ingest.MessageParser;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Feeds a simulation into ULM through the public paths: its catalogue through the catalogue, its messages through
 * the same ingestion service as {@code POST /v1/batch} (validation, dedup, lifecycle), in event-time order,
 * batched and paced at a rate.
 */
@ApplicationScoped
public class SimulationFeed {

    /** Messages per ingestion request at most (as an SDK batch). */
    static final int BATCH = 100;

    private final IngestService ingest;
    private final Catalogue catalogue;

    SimulationFeed(IngestService ingest, Catalogue catalogue) {
        this.ingest = ingest;
        this.catalogue = catalogue;
    }

    /** Defines the simulated shop's items (re-running defines nothing new). */
    public int catalogue(io.ulm.simulation.Catalogue items) {
        List<ItemDefinition> definitions = new ArrayList<>();
        for (io.ulm.simulation.Catalogue.Item item : items.items()) {
            definitions.add(new ItemDefinition(item.id(), item.title(), null, item.categories(),
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(item.properties())));
        }
        return catalogue.define(definitions, List.of()).defined();
    }

    /**
     * Streams every message of the simulation up to its end; {@code rate} messages a second at most (0: as fast as
     * ingestion goes). {@code progress} hears the number of messages sent after each batch. Answers messages accepted.
     */
    public long stream(Simulator simulator, int rate, LongConsumer progress) {
        List<JsonNode> batch = new ArrayList<>(BATCH);
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        long started = System.nanoTime();
        simulator.run(message -> {
            batch.add(parse(message.json()));
            if (batch.size() == BATCH) {
                accepted.addAndGet(send(batch));
                pace(sent.addAndGet(BATCH), rate, started);
                progress.accept(sent.get());
            }
        });
        if (!batch.isEmpty()) {
            accepted.addAndGet(send(batch));
            progress.accept(sent.addAndGet(batch.size()));
        }
        return accepted.get();
    }

    private int send(List<JsonNode> batch) {
        IngestService.Outcome outcome = ingest.ingest(List.copyOf(batch), MessageParser.Envelope.NONE, "/batch", Instant.now(),
                IngestService.Mode.LIVE);
        batch.clear();
        return outcome.accepted();
    }

    /** Sleeps until {@code sent} messages are due at {@code rate} a second since {@code started}. */
    private static void pace(long sent, int rate, long started) {
        if (rate <= 0) {
            return;
        }
        long due = started + sent * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Simulation feed interrupted", e);
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("The simulator produced invalid JSON", e);
        }
    }
}
