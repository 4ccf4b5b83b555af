package io.ulm.ingest;

/** A database error during ingestion; carries the SQL cause so that retries can classify it. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
