-- Model registry (io.ulm.model, docs/models.md): every model ULM can serve, trained here or uploaded, with
-- its ONNX graph, the id mapping the graph's indexes refer to, and how it was evaluated. At most one model per
-- kind is active; serving nodes load the active one at start and swap when it changes (checked by version).
CREATE TABLE model (
    model_id           BIGSERIAL   PRIMARY KEY,
    kind               TEXT        NOT NULL CHECK (kind IN ('recommender', 'churn')),
    name               TEXT        NOT NULL,                -- what produced it: 'als', 'xgboost', 'upload', ...
    version            INTEGER     NOT NULL,                -- 1, 2, ... per kind
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    training_watermark TIMESTAMPTZ,                         -- event time of the newest event it learned from
    metrics            JSONB       NOT NULL DEFAULT '{}',   -- its evaluation beside the baselines
    mapping            JSONB       NOT NULL,                -- ids behind the graph's indexes (contract per kind)
    onnx               BYTEA       NOT NULL,
    sha256             TEXT        NOT NULL,
    active             BOOLEAN     NOT NULL DEFAULT false,
    UNIQUE (kind, version)
);
CREATE UNIQUE INDEX model_one_active ON model (kind) WHERE active;

-- Training runs (POST /v1/models/{kind}/train): asynchronous, one at a time per kind over all nodes.
CREATE TABLE model_training (
    training_id  BIGSERIAL   PRIMARY KEY,
    kind         TEXT        NOT NULL,
    state        TEXT        NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
    step         TEXT        NOT NULL,                      -- what it is doing now, for progress
    progress     DOUBLE PRECISION NOT NULL DEFAULT 0,       -- 0..1
    model_id     BIGINT      REFERENCES model,
    error        TEXT,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX model_training_one_running ON model_training (kind) WHERE state = 'RUNNING';
