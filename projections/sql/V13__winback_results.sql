-- Win-back results, attribution and backtests (docs/winback.md "Results", "Attribution", "Backtest").

-- The activity that ended the episode WON_BACK (the message whose REACTIVATED transition, if any, the campaign is
-- credited with); written by the saga with the outcome, in event time, never by a replay.
ALTER TABLE winback_entry ADD COLUMN return_message_id TEXT;

-- The frequency cap is per user across campaigns (one running win-back; none within the cooldown of her last one).
CREATE INDEX winback_entry_by_user ON winback_entry (user_id, ended_at);

-- Backtests: a campaign replayed over the log in event time. Its would-be actions live here only: never in the outbox,
-- never on Kafka, never in the saga's tables.
CREATE TABLE winback_backtest (
    id           BIGSERIAL   PRIMARY KEY,
    campaign_id  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    history_end  TIMESTAMPTZ NOT NULL,                -- the lifecycle watermark the run stopped at (event time)
    report       JSONB       NOT NULL
);
CREATE TABLE winback_backtest_action (
    backtest_id  BIGINT      NOT NULL REFERENCES winback_backtest (id) ON DELETE CASCADE,
    action_id    TEXT        NOT NULL,                -- as the saga would name it
    user_id      TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    arm          TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL,                -- event time
    payload      JSONB       NOT NULL,
    PRIMARY KEY (backtest_id, action_id)
);
