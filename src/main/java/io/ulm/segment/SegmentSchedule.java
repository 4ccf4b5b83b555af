package io.ulm.segment;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Evaluates segments when the event-time watermark has moved (checked every {@code ulm.segments.every}, by
 * default the lifecycle sweep's interval; "off" disables it). Several nodes may tick: one evaluates, the
 * others find the lock taken and skip.
 */
@ApplicationScoped
public class SegmentSchedule {

    private static final Logger LOG = Logger.getLogger(SegmentSchedule.class);
    private static final String EVERY = "${ulm.segments.every:${ulm.lifecycle.sweep-interval}}";
    /** The first check waits one sweep interval (never "off": that is no duration). */
    private static final String FIRST = "${ulm.lifecycle.sweep-interval}";

    private final SegmentEvaluator evaluator;

    SegmentSchedule(SegmentEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Scheduled(every = EVERY, delayed = FIRST, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            SegmentEvaluator.Result r = evaluator.evaluate(false);
            if ("skipped".equals(r.status())) {
                LOG.debugf("Segment evaluation skipped: %s", r.detail());
            }
        } catch (DefinitionException e) {
            LOG.errorf("Segments not evaluated: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Segments not evaluated: %s", e.getMessage());
        }
    }
}
