-- Churn scores (io.ulm.model.ChurnScoring, docs/models.md): the latest score of every user by the active churn model
-- at the event-time watermark, with the BG/NBD and Gamma-Gamma figures; written by the scoring job (a job, not a
-- projection: replays never score or raise anything). Users whose score reaches ulm.models.churn.threshold get
-- ChurnRiskRaised on their stream (once per episode, decided by the aggregate).
CREATE TABLE churn_score (
    user_id            TEXT             PRIMARY KEY,
    score              DOUBLE PRECISION NOT NULL,
    p_alive            DOUBLE PRECISION,
    expected_purchases DOUBLE PRECISION,            -- in the next ulm.models.churn.horizon
    clv                DOUBLE PRECISION,            -- Gamma-Gamma × BG/NBD, docs/models.md
    model_id           BIGINT           NOT NULL,
    at                 TIMESTAMPTZ      NOT NULL,   -- the watermark scored at (event time)
    features           JSONB            NOT NULL    -- the model's inputs, name to value (null = missing)
);
CREATE INDEX churn_score_score ON churn_score (score DESC);

-- One row per scoring run: what ran, when, at which watermark, how many users it scored and raised.
CREATE TABLE churn_scoring (
    id          BIGSERIAL   PRIMARY KEY,
    model_id    BIGINT      NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    users       BIGINT      NOT NULL,
    raised      BIGINT      NOT NULL,
    seconds     DOUBLE PRECISION NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
