package io.ulm.interest;

import io.quarkus.runtime.ShutdownEvent;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs topic fits in the background, one at a time over all nodes (the RUNNING row is the lock), on a thread
 * of its own: never on the Vert.x event loop, never in a request. A fit refreshes the item terms first, fits
 * on every item's text, stores the result as the active model, and reports progress through its row.
 */
@ApplicationScoped
public class TopicFits {

    private static final Logger LOG = Logger.getLogger(TopicFits.class);

    /** Optional overrides of the configured parameters (the body of POST /v1/admin/topics/fit). */
    public record Request(Integer topics, Double alpha, Double beta, Integer iterations, Integer seed) {
    }

    private final TopicStore store;
    private final InterestIndex index;
    private final InterestConfig.Topics defaults;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ulm-topic-fit");
        t.setDaemon(true);
        return t;
    });

    TopicFits(TopicStore store, InterestIndex index, InterestConfig config) {
        this.store = store;
        this.index = index;
        this.defaults = config.topics();
    }

    /** The configured parameters with the request's overrides; a bad value is a 400 naming it. */
    TopicModeler.Params params(Request r) {
        Request q = r == null ? new Request(null, null, null, null, null) : r;
        try {
            return new TopicModeler.Params(q.topics() != null ? q.topics() : defaults.k(), q.alpha() != null ? q.alpha() : defaults.alpha(),
                    q.beta() != null ? q.beta() : defaults.beta(), q.iterations() != null ? q.iterations() : defaults.iterations(),
                    q.seed() != null ? q.seed() : defaults.seed(), defaults.topWords(), defaults.minDf());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid topic model parameter", e.getMessage()));
        }
    }

    /** Starts a fit; a 409 problem naming the running one if there is one. */
    public TopicStore.FitStatus start(Request request, String trigger) throws SQLException {
        TopicModeler.Params p = params(request);
        Long id = store.start(p, trigger).orElse(null);
        if (id == null) {
            TopicStore.FitStatus running = store.latest().orElse(null);
            throw new ProblemException(Problem.of(409, "fit-running", "A topic fit is running",
                    "Fit " + (running == null ? "?" : running.id()) + " is running; follow it with GET /v1/admin/topics/fit/{id}")
                    .with("fit", running == null ? null : running.id()));
        }
        executor.submit(() -> run(id, p));
        return store.status(id).orElseThrow();
    }

    public TopicStore.FitStatus status(long id) throws SQLException {
        return store.status(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-fit", "Unknown topic fit",
                "No topic fit " + id).with("fit", id)));
    }

    public TopicStore.FitStatus latest() throws SQLException {
        return store.latest().orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-fit", "No topic fit yet",
                "No topic model has been fitted; start one with POST /v1/admin/topics/fit")));
    }

    private void run(long id, TopicModeler.Params p) {
        long started = System.nanoTime();
        try {
            index.refresh(true);
            List<TopicModeler.Document> docs = store.documents();
            TopicModeler.Fit fit = TopicModeler.fit(docs, p, done -> store.progress(id, done));
            store.save(id, fit);
            LOG.infof("Topic model %d fitted in %.1f s: %d items, %d tokens, vocabulary %d, LL/token %.3f, coherence %.1f", id,
                    (System.nanoTime() - started) / 1e9, fit.documents().size(), fit.tokens(), fit.vocabulary(),
                    fit.logLikelihoodPerToken(), fit.coherence());
        } catch (RuntimeException | SQLException | Error e) {
            LOG.errorf(e, "Topic model %d failed", id);
            store.fail(id, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }
}
