package io.ulm.platform;

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
        boolean registered = Completion.afterCompletion(registry, committed -> {
            if (committed) {
                background.execute(task);
            }
        });
        if (!registered) {
            background.execute(task);
        }
    }
}
