-- Read model of the "analytics" projection (io.ulm.analytics): the few facts the funnel, cohort,
-- transition and lifecycle reports are computed from at query time. All times are event times; days are
-- UTC calendar days. Rebuildable from the event log (the projection's reset() truncates these tables).

-- One row per StageChanged event; (user_id, seq) is the event's aggregate sequence number, so a
-- redelivered event can never add a second row.
CREATE TABLE analytics_stage_transition (
    user_id    TEXT        NOT NULL,
    seq        BIGINT      NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    from_stage TEXT,                 -- NULL: the acquisition (the user's first stage)
    to_stage   TEXT        NOT NULL,
    rule_id    TEXT        NOT NULL,
    PRIMARY KEY (user_id, seq)
);
CREATE INDEX analytics_stage_transition_at ON analytics_stage_transition (at);

-- Activity (track, page, screen messages the rules classify as activity) per user and UTC day.
CREATE TABLE analytics_activity_day (
    user_id    TEXT           NOT NULL,
    day        DATE           NOT NULL,
    activities BIGINT         NOT NULL,
    purchases  BIGINT         NOT NULL,
    refunds    BIGINT         NOT NULL,
    revenue    NUMERIC(19, 4) NOT NULL,
    refunded   NUMERIC(19, 4) NOT NULL,
    PRIMARY KEY (user_id, day)
);
CREATE INDEX analytics_activity_day_day ON analytics_activity_day (day);

-- When each user was acquired (UserAcquired: her earliest message in event time); defines her cohort.
CREATE TABLE analytics_acquisition (
    user_id     TEXT        PRIMARY KEY,
    acquired_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX analytics_acquisition_at ON analytics_acquisition (acquired_at);
