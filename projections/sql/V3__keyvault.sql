-- Per-user data keys for personal data (crypto-shredding), kept apart from the event store in
-- their own schema. Each key is stored wrapped (AES-GCM) by the master key from configuration.
-- Erasing a user destroys her key: the encrypted values in the event log become unreadable.
CREATE SCHEMA keyvault;

CREATE TABLE keyvault.user_key (
    user_id      TEXT        PRIMARY KEY,
    key_id       TEXT        NOT NULL UNIQUE,
    wrapped_key  BYTEA,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    destroyed_at TIMESTAMPTZ
);
