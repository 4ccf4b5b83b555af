-- Win-back and imported history (docs/winback.md "History"): a trigger is judged against the lifecycle watermark
-- (event time, lifecycle_clock) when the saga handles it. An episode already over at the watermark is recorded as
-- history and sends nothing; a running one sends only what falls due after the watermark minus
-- ulm.winback.stale-after, the older steps are recorded here, never in the outbox.

-- The watermark the trigger was judged against (null for episodes stored before V17), and whether the episode was
-- over by then (historic: nothing sent, not in the results' rates).
ALTER TABLE winback_entry ADD COLUMN judged_at TIMESTAMPTZ;
ALTER TABLE winback_entry ADD COLUMN historic BOOLEAN NOT NULL DEFAULT false;

-- Actions the saga did not send because they were due before the watermark minus stale-after (reason 'historic'):
-- what the campaign would have done, for the timeline and the results. Never read by the relay.
CREATE TABLE winback_skipped (
    action_id    TEXT        PRIMARY KEY,             -- the id the outbox row would have had: a redelivery inserts nothing
    winback_id   TEXT        NOT NULL,
    campaign_id  TEXT        NOT NULL,
    user_id      TEXT        NOT NULL,
    type         TEXT        NOT NULL,                -- WinbackReminderSent, WinbackOfferSent
    step         INT         NOT NULL,
    at           TIMESTAMPTZ NOT NULL,                -- its event time
    reason       TEXT        NOT NULL,                -- historic
    judged_at    TIMESTAMPTZ NOT NULL                 -- the watermark it was judged against
);
CREATE INDEX winback_skipped_user ON winback_skipped (user_id);
CREATE INDEX winback_skipped_campaign ON winback_skipped (campaign_id);
