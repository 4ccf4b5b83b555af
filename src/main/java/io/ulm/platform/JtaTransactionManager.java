package io.ulm.platform;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.axonframework.common.transaction.Transaction;

/**
 * Axon's transactions on Quarkus' JTA (Narayana). Agroal enlists every JDBC connection taken inside
 * a transaction, so the event store, the token store and the projections' SQL commit together.
 * When a transaction is already running (an ingestion request that also writes its dedup rows),
 * Axon joins it instead of starting its own.
 */
public final class JtaTransactionManager implements org.axonframework.common.transaction.TransactionManager {

    private final TransactionManager jta;

    public JtaTransactionManager(TransactionManager jta) {
        this.jta = jta;
    }

    @Override
    public Transaction startTransaction() {
        try {
            if (jta.getStatus() != Status.STATUS_NO_TRANSACTION) {
                return joined();
            }
            jta.begin();
            return new Transaction() {
                @Override
                public void commit() {
                    try {
                        jta.commit();
                    } catch (Exception e) {
                        throw new IllegalStateException("Commit failed: " + e.getMessage(), e);
                    }
                }

                @Override
                public void rollback() {
                    try {
                        jta.rollback();
                    } catch (SystemException e) {
                        throw new IllegalStateException("Rollback failed", e);
                    }
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException("Could not start a transaction", e);
        }
    }

    /** A participant in the caller's transaction: it may only doom it, the caller commits. */
    private Transaction joined() {
        return new Transaction() {
            @Override
            public void commit() {
                // the owner of the transaction commits
            }

            @Override
            public void rollback() {
                try {
                    jta.setRollbackOnly();
                } catch (SystemException e) {
                    throw new IllegalStateException("Could not mark the transaction rollback-only", e);
                }
            }
        };
    }
}
