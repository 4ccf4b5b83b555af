package io.ulm.platform;

import org.axonframework.modelling.command.ConcurrencyException;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a whole transaction when it lost a race that a retry can win: two writers of the same
 * user's aggregate (optimistic concurrency), a unique key taken by a concurrent insert, a deadlock or a
 * serialization failure. Anything else fails at once.
 */
public final class Retry {

    private static final Logger LOG = Logger.getLogger(Retry.class);
    private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01", "23505");

    private Retry() {
    }

    public static <T> T times(int attempts, Callable<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.call();
            } catch (Exception e) {
                if (attempt >= attempts || !retryable(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                LOG.debugf("Retrying after a lost race (attempt %d): %s", attempt, e);
                backOff(attempt);
            }
        }
    }

    public static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
            if (t instanceof SQLException sql && RETRYABLE_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
