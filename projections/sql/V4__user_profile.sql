-- Read model: one row per user, built by the user-profile projection from the event log.
CREATE TABLE user_profile (
    user_id          TEXT        PRIMARY KEY,
    stage            TEXT,
    stage_since      TIMESTAMPTZ,
    stage_rule       TEXT,
    acquired_at      TIMESTAMPTZ,
    first_seen       TIMESTAMPTZ,
    last_seen        TIMESTAMPTZ,
    last_activity_at TIMESTAMPTZ,
    messages         BIGINT      NOT NULL DEFAULT 0,
    activities       BIGINT      NOT NULL DEFAULT 0,
    late_messages    BIGINT      NOT NULL DEFAULT 0,
    purchases        BIGINT      NOT NULL DEFAULT 0,
    refunds          BIGINT      NOT NULL DEFAULT 0,
    revenue          NUMERIC(19, 4) NOT NULL DEFAULT 0,
    refunded         NUMERIC(19, 4) NOT NULL DEFAULT 0,
    distinct_items   INTEGER     NOT NULL DEFAULT 0,
    last_position    BIGINT      NOT NULL DEFAULT -1
);
CREATE INDEX user_profile_stage ON user_profile (stage);

-- Counts per message type and event name ('' when the message has no name).
CREATE TABLE user_event_count (
    user_id TEXT   NOT NULL,
    type    TEXT   NOT NULL,
    name    TEXT   NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (user_id, type, name)
);

-- Items the user interacted with (for distinct_items, and later seen-item filtering).
CREATE TABLE user_item (
    user_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (user_id, item_id)
);

-- Latest value of each trait by event time; personal values stay encrypted here.
CREATE TABLE user_trait (
    user_id TEXT        NOT NULL,
    trait   TEXT        NOT NULL,
    value   JSONB       NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, trait)
);

-- Ids linked to the user (anonymousIds, alias previousIds).
CREATE TABLE user_identity (
    user_id   TEXT        NOT NULL,
    linked_id TEXT        NOT NULL,
    via       TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, linked_id)
);
