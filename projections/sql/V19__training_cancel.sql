-- A training run can be cancelled (POST /v1/models/training/{id}/cancel). Any node may take the request: it is
-- recorded here, and the node running the training stops at its next step or epoch and marks it CANCELLED.
ALTER TABLE model_training ADD COLUMN cancel_requested_at TIMESTAMPTZ;
ALTER TABLE model_training DROP CONSTRAINT model_training_state_check;
ALTER TABLE model_training ADD CONSTRAINT model_training_state_check CHECK (state IN ('RUNNING', 'DONE', 'FAILED', 'CANCELLED'));
