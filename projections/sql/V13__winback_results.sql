-- Win-back results, attribution and backtests (docs/winback.md "Results", "Attribution", "Backtest").

-- The activity that ended the episode WON_BACK (the message whose REACTIVATED transition, if any, the campaign is
-- credited with); written by the saga with the outcome, in event time, never by a replay.
ALTER TABLE winback_entry ADD COLUMN return_message_id TEXT;

-- The frequency cap is per user across campaigns (one running win-back; none within the cooldown of her last one).
CREATE INDEX winback_entry_by_user ON winback_entry (user_id, ended_at);
