-- Erasures (io.ulm.privacy, docs/privacy.md): one row per erased user, written in the erasure's transaction with the
-- UserErased event and the destroyed key. Holds the receipt (stores touched, row counts) so that a repeated request
-- answers the same receipt, and the auditors can list erasures without reading the event log.
CREATE TABLE privacy_erasure (
    user_id      TEXT        PRIMARY KEY,
    erased_at    TIMESTAMPTZ NOT NULL,
    requested_by TEXT        NOT NULL,
    receipt      JSONB       NOT NULL
);
