-- Ingestion bookkeeping, written in the same transaction as the events they describe.

-- Durable deduplication: a messageId is stored once, whatever the number of re-sends.
CREATE TABLE ingest_message (
    message_id  TEXT        PRIMARY KEY,
    user_id     TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    event_time  TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    stored_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Identity resolution: an anonymousId or a previous id (alias) resolves to one user. First link wins.
CREATE TABLE identity_link (
    linked_id TEXT        PRIMARY KEY,
    user_id   TEXT        NOT NULL,
    via       TEXT        NOT NULL,
    linked_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX identity_link_user ON identity_link (user_id);

-- When each user next needs a lifecycle decision (pending messages or an inactivity threshold),
-- in event time. The clock sweep picks the rows the watermark has passed. Every writer of a user's
-- aggregate locks her row first; `version` is the aggregate's committed version (last sequence
-- number), against which cached aggregates are validated.
CREATE TABLE lifecycle_schedule (
    user_id TEXT        PRIMARY KEY,
    due_at  TIMESTAMPTZ NOT NULL,
    version BIGINT      NOT NULL DEFAULT -1
);
CREATE INDEX lifecycle_schedule_due ON lifecycle_schedule (due_at);

-- The event-time clock: the latest event time ingested (capped by receivedAt). The watermark is
-- this minus the allowed lateness. Imports advance it once, when they finish.
CREATE TABLE lifecycle_clock (
    id             SMALLINT    PRIMARY KEY CHECK (id = 1),
    max_event_time TIMESTAMPTZ
);
INSERT INTO lifecycle_clock (id, max_event_time) VALUES (1, NULL);

-- Import runs: progress of history imports, so that a crashed import can be re-run and checked.
CREATE TABLE import_run (
    id          TEXT        PRIMARY KEY,
    source      TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    read        BIGINT      NOT NULL DEFAULT 0,
    stored      BIGINT      NOT NULL DEFAULT 0,
    duplicates  BIGINT      NOT NULL DEFAULT 0,
    rejected    BIGINT      NOT NULL DEFAULT 0,
    skipped     BIGINT      NOT NULL DEFAULT 0,
    max_event_time TIMESTAMPTZ
);
