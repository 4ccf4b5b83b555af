package io.ulm.simulation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.ulm.model.ModelKind;
import io.ulm.model.ModelTraining;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.ulm.winback.WinbackServices;
import org.jboss.logging.Logger;

import javax.sql.DataSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Demo mode ({@code ULM_SIMULATION_DEMO_RATE=<messages per second>}): at start, a simulated shop's history ending
 * now is streamed through the ingestion path; stages move as it goes, the segment job fills segments, the
 * recommender is trained halfway and the recommender, churn and sequential models at the end, then churn scoring raises risks; simulated users answer
 * the live win-back campaigns (treatments from the outbox, {@link OutboxTreatments}). Off by default.
 */
@ApplicationScoped
public class DemoMode {

    private static final Logger LOG = Logger.getLogger(DemoMode.class);

    private final SimulationConfig config;
    private final SimulationFeed feed;
    private final ModelTraining training;
    private final DataSource dataSource;
    private final WinbackServices winback;
    private Thread thread;

    DemoMode(SimulationConfig config, SimulationFeed feed, ModelTraining training, DataSource dataSource, WinbackServices winback) {
        this.config = config;
        this.feed = feed;
        this.training = training;
        this.dataSource = dataSource;
        this.winback = winback;
    }

    /** The demo's settings: its scale and seed, a history ending at {@code end}, the live campaigns' arms with their effects. */
    public static SimulationSettings settings(SimulationConfig.Demo demo, Instant end, WinbackServices winback) {
        SimulationSettings base = SimulationSettings.defaults().withSeed(demo.seed())
                .withScale(demo.users(), demo.days(), demo.days()).withStart(end.minus(demo.days(), ChronoUnit.DAYS));
        return base.withWinback(DemoTreatments.settings(winback.live(), demo.winbackEffect(), demo.winbackEffects(), base.winback()));
    }

    void start(@Observes StartupEvent event) {
        SimulationConfig.Demo demo = config.demo();
        if (demo.rate() <= 0) {
            return;
        }
        thread = new Thread(() -> run(demo), "ulm-demo");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run(SimulationConfig.Demo demo) {
        try {
            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            SimulationSettings settings = settings(demo, end, winback);
            // simulated users answer the live win-back campaigns: treatments read from ULM's outbox (docs/simulation.md)
            Simulator simulator = new Simulator(settings, new OutboxTreatments(dataSource, settings.idPrefix()));
            LOG.infof("Demo: a simulated shop of %d users over the %d days up to now, streamed at %d messages/s through the "
                    + "ingestion path (docs/simulation.md)", demo.users(), demo.days(), demo.rate());
            LOG.infof("Demo: %d catalogue items defined", feed.catalogue(simulator.catalogue()));
            long[] next = {10_000};
            boolean[] halfway = {false};
            long accepted = feed.stream(simulator, demo.rate(), sent -> {
                if (sent >= next[0]) {
                    LOG.infof("Demo: %,d messages sent, simulated time %s", sent, simulator.now());
                    next[0] += 10_000;
                }
                if (!halfway[0] && simulator.now().isAfter(settings.start().plus(demo.days() / 2, ChronoUnit.DAYS))) {
                    halfway[0] = true;
                    train(ModelKind.RECOMMENDER);
                }
            });
            LOG.infof("Demo: history streamed (%,d messages accepted, %d win-back treatments ignored); training the recommender, churn and sequential models",
                    accepted, simulator.ignoredTreatments());
            train(ModelKind.RECOMMENDER);
            train(ModelKind.CHURN);
            // last: the training executor runs one job at a time, and SASRec (minutes of CPU; not measured at demo scale) must not
            // hold up the churn model that win-back needs; it then serves engaged users, blended with the factorisation
            train(ModelKind.SEQUENTIAL);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Demo stopped");
        }
    }

    private void train(ModelKind kind) {
        try {
            ModelTraining.Run run = training.start(kind);
            LOG.infof("Demo: training %s (GET /v1/models/training/%d)", kind.key(), run.id());
        } catch (RuntimeException e) {
            LOG.infof("Demo: %s not trained now: %s", kind.key(), e.getMessage());
        }
    }
}
