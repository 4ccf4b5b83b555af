package io.ulm.simulation;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulations requested over HTTP ({@code POST /v1/admin/simulations}), one at a time on a thread of their own:
 * into this ULM through the ingestion path, or to files. Their state is kept by the node that runs them.
 */
@ApplicationScoped
public class SimulationRuns {

    private static final Logger LOG = Logger.getLogger(SimulationRuns.class);

    /** What to simulate: N users over T days from {@code start}, seeded; where to; how fast (messages/s, 0 = at once). */
    public record Request(Long seed, Integer users, Integer days, Instant start, String target, Integer rate) {
    }

    /** A run as {@code GET /v1/admin/simulations/{id}} shows it. */
    public record Run(long id, String state, String target, long seed, int users, int days, Instant start, long messages,
                      String directory, String error, Instant requestedAt, Instant finishedAt) {
    }

    private final SimulationFeed feed;
    private final Map<Long, Run> runs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "ulm-simulation"));

    SimulationRuns(SimulationFeed feed) {
        this.feed = feed;
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** Starts a run; target 'files' writes under {@code data/simulations/<id>/}. */
    public Run start(SimulationSettings settings, String target, int rate) {
        long id = ids.incrementAndGet();
        Path directory = "files".equals(target) ? Path.of("data", "simulations", String.valueOf(id)).toAbsolutePath() : null;
        Run run = new Run(id, "RUNNING", target, settings.seed(), settings.users(), settings.days(), settings.start(), 0,
                directory == null ? null : directory.toString(), null, Instant.now(), null);
        runs.put(id, run);
        executor.submit(() -> execute(run, settings, rate, directory));
        return run;
    }

    public Optional<Run> run(long id) {
        return Optional.ofNullable(runs.get(id));
    }

    private void execute(Run run, SimulationSettings settings, int rate, Path directory) {
        try {
            Simulator simulator = new Simulator(settings);
            long messages;
            if (directory != null) {
                Files.createDirectories(directory);
                SimulationFiles.writeCatalogue(simulator.catalogue(), directory.resolve("items.ndjson"));
                messages = SimulationFiles.write(simulator, directory.resolve("messages.ndjson"), directory.resolve("truth.ndjson")).messages();
            } else {
                feed.catalogue(simulator.catalogue());
                messages = feed.stream(simulator, rate, sent -> runs.computeIfPresent(run.id(), (k, r) -> with(r, "RUNNING", sent, null)));
            }
            runs.put(run.id(), with(run, "DONE", messages, null));
        } catch (Exception e) {
            LOG.errorf(e, "Simulation %d failed", run.id());
            runs.put(run.id(), with(run, "FAILED", run.messages(), String.valueOf(e.getMessage())));
        }
    }

    private static Run with(Run r, String state, long messages, String error) {
        return new Run(r.id(), state, r.target(), r.seed(), r.users(), r.days(), r.start(), messages, r.directory(), error, r.requestedAt(),
                "RUNNING".equals(state) ? null : Instant.now());
    }
}
