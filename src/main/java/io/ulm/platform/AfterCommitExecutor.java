package io.ulm.platform;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Runs a task on a background thread once the caller's JTA transaction has committed (at once when
 * there is none; never when it rolls back). Axon's snapshotter schedules from inside a command whose
 * events are not committed yet; run earlier, it would read a stream without them.
 */
public final class AfterCommitExecutor implements Executor {

    private final TransactionSynchronizationRegistry registry;
    private final ExecutorService background;

    public AfterCommitExecutor(TransactionSynchronizationRegistry registry, ExecutorService background) {
        this.registry = registry;
        this.background = background;
    }

    @Override
    public void execute(Runnable task) {
        if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
            background.execute(task);
            return;
        }
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to do before the commit
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    background.execute(task);
                }
            }
        });
    }
}
