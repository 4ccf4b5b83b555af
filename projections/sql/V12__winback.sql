-- Win-back sagas (io.ulm.winback, docs/winback.md "The saga"; decision 0007).
-- Axon's JDBC saga store (PostgresSagaSqlSchema layout, snake_case names).
CREATE TABLE winback_saga (
    saga_id          VARCHAR(255) PRIMARY KEY,
    revision         VARCHAR(255),
    saga_type        VARCHAR(255),
    serialized_saga  BYTEA
);
CREATE TABLE winback_saga_association (
    id                BIGSERIAL PRIMARY KEY,
    association_key   VARCHAR(255),
    association_value VARCHAR(255),
    saga_id           VARCHAR(255),
    saga_type         VARCHAR(255)
);
CREATE INDEX winback_saga_association_value ON winback_saga_association (saga_type, association_key, association_value);
CREATE INDEX winback_saga_association_saga ON winback_saga_association (saga_id, saga_type);

-- One row per win-back episode (campaign, user, trigger time): frequency cap, suppression of redelivered triggers,
-- and the results endpoint's entrants. Written by the saga in its own transaction with the saga state.
CREATE TABLE winback_entry (
    winback_id   TEXT        PRIMARY KEY,          -- campaign ':' user ':' trigger event time
    campaign_id  TEXT        NOT NULL,
    user_id      TEXT        NOT NULL,
    arm          TEXT        NOT NULL,
    trigger      TEXT        NOT NULL,
    entered_at   TIMESTAMPTZ NOT NULL,             -- event time
    ended_at     TIMESTAMPTZ,                      -- event time
    outcome      TEXT                              -- WON_BACK, LOST (null while running)
);
CREATE INDEX winback_entry_user ON winback_entry (campaign_id, user_id, entered_at);

-- Event-time waits: the saga's next step is due when the lifecycle watermark passes due_at (no wall-clock deadline).
CREATE TABLE winback_step (
    winback_id  TEXT        PRIMARY KEY,
    user_id     TEXT        NOT NULL,
    step        INT         NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX winback_step_due ON winback_step (due_at);

-- Transactional outbox: actions are written with the saga state and published by a relay (exactly once per action_id).
CREATE TABLE outbox (
    id          BIGSERIAL   PRIMARY KEY,
    action_id   TEXT        NOT NULL UNIQUE,       -- winback id ':' step index: a redelivery inserts nothing
    topic       TEXT        NOT NULL,
    msg_key     TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
