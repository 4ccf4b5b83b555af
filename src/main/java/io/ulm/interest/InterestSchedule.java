package io.ulm.interest;

import io.quarkus.scheduler.Scheduled;
import io.ulm.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The scheduled work of the text interests, on the scheduler's worker threads. Every node schedules it; the
 * refresh's advisory lock and the single RUNNING fit row make one node do each run.
 */
@ApplicationScoped
public class InterestSchedule {

    private static final Logger LOG = Logger.getLogger(InterestSchedule.class);

    private final InterestIndex index;
    private final TopicFits fits;

    InterestSchedule(InterestIndex index, TopicFits fits) {
        this.index = index;
        this.fits = fits;
    }

    /** Document frequencies and user topic mixtures (skipped when their inputs did not change). */
    @Scheduled(identity = "interest-refresh", every = "${ulm.interests.refresh-every:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            index.refresh(false);
        } catch (RuntimeException e) {
            LOG.warn("Interest refresh failed; the next run retries", e);
        }
    }

    /** The optional scheduled refit with the configured parameters. */
    @Scheduled(identity = "topic-refit", cron = "${ulm.interests.topics.refit-cron:off}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refit() {
        try {
            fits.start(null, "schedule");
        } catch (ProblemException e) {
            LOG.info("Scheduled topic refit skipped: " + e.getMessage());
        } catch (Exception e) {
            LOG.warn("Scheduled topic refit could not start", e);
        }
    }
}
