package io.ulm.platform;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * What to do when the caller's JTA transaction has completed, committed or not. Several writers act only once their
 * rows are visible (or evict what a rollback made wrong); this is the one place they register for it.
 */
public final class Completion {

    /** Called after the transaction completed, with whether it committed. */
    @FunctionalInterface
    public interface Callback {
        void completed(boolean committed);
    }

    private Completion() {
    }

    /**
     * Registers {@code callback} with the running transaction; {@code false} when none is running (the caller
     * decides what that means: usually act at once).
     */
    public static boolean afterCompletion(TransactionSynchronizationRegistry registry, Callback callback) {
        if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return false;
        }
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to do before the commit
            }

            @Override
            public void afterCompletion(int status) {
                callback.completed(status == Status.STATUS_COMMITTED);
            }
        });
        return true;
    }
}
