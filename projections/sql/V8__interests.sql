-- Text interests (io.ulm.interest, docs/interests.md): TF-IDF keywords and LDA topic interests.
--
-- Two kinds of tables. The "interest-text" PROJECTION writes only facts taken from the events themselves
-- (engagements, the user's own words), so a replay from zero rebuilds them byte for byte (replay audit).
-- Everything that also depends on the item catalogue, whose text can arrive or change after the events,
-- is DERIVED by the refresh (InterestIndex) and the topic fit, and is recomputed rather than replayed.

-- Projection: activity events naming the item, per user (refunds excluded).
CREATE TABLE interest_user_item (
    user_id     TEXT   NOT NULL,
    item_id     TEXT   NOT NULL,
    engagements BIGINT NOT NULL,
    PRIMARY KEY (user_id, item_id)
);
CREATE INDEX interest_user_item_item ON interest_user_item (item_id);

-- Projection: terms of the user's own text (tag, review, comment properties), counted. item_id is the item
-- the text is about when the message names exactly one item, '' otherwise.
CREATE TABLE interest_user_text (
    user_id TEXT   NOT NULL,
    item_id TEXT   NOT NULL,
    term    TEXT   NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (user_id, item_id, term)
);
CREATE INDEX interest_user_text_item ON interest_user_text (item_id) WHERE item_id <> '';

-- Derived: terms of each catalogue item's title and description, re-analysed when the text changes.
CREATE TABLE interest_item_text (
    item_id  TEXT PRIMARY KEY,
    text_md5 TEXT NOT NULL
);
CREATE TABLE interest_item_term (
    item_id TEXT   NOT NULL,
    term    TEXT   NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (item_id, term)
);

-- Derived: document frequency of each term over users (users whose bag contains it), and the corpus size.
CREATE TABLE interest_term_df (
    term TEXT   PRIMARY KEY,
    df   BIGINT NOT NULL
);
CREATE TABLE interest_corpus (
    id           INTEGER     PRIMARY KEY CHECK (id = 1),
    users        BIGINT      NOT NULL,   -- N: users with a non-empty bag
    terms        BIGINT      NOT NULL,
    analyzer     TEXT        NOT NULL,   -- the analyzer settings the item terms were made with
    fingerprint  TEXT        NOT NULL,   -- of the inputs; an unchanged fingerprint skips the recomputation
    refreshed_at TIMESTAMPTZ NOT NULL
);

-- Topic models: one row per fit (kept as history); the active model is the latest DONE one.
CREATE TABLE interest_topic_model (
    model_id        BIGSERIAL        PRIMARY KEY,
    state           TEXT             NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
    trigger         TEXT             NOT NULL,          -- api or schedule
    topics          INTEGER          NOT NULL,
    alpha           DOUBLE PRECISION NOT NULL,
    beta            DOUBLE PRECISION NOT NULL,
    iterations      INTEGER          NOT NULL,
    seed            INTEGER          NOT NULL,
    iterations_done INTEGER          NOT NULL DEFAULT 0,
    documents       INTEGER,
    vocabulary      INTEGER,
    tokens          BIGINT,
    log_likelihood  DOUBLE PRECISION,                   -- model log-likelihood per token
    coherence       DOUBLE PRECISION,                   -- mean UMass coherence of the topics' top 10 words
    error           TEXT,
    requested_at    TIMESTAMPTZ      NOT NULL,
    updated_at      TIMESTAMPTZ      NOT NULL,          -- heartbeat: a RUNNING fit without one for long was abandoned
    finished_at     TIMESTAMPTZ
);
-- at most one fit runs at a time, over all nodes
CREATE UNIQUE INDEX interest_topic_model_one_running ON interest_topic_model ((true)) WHERE state = 'RUNNING';

CREATE TABLE interest_topic (
    model_id BIGINT           NOT NULL REFERENCES interest_topic_model ON DELETE CASCADE,
    topic    INTEGER          NOT NULL,
    share    DOUBLE PRECISION NOT NULL,   -- share of the corpus' tokens assigned to the topic
    words    JSONB            NOT NULL,   -- [{"word": "pixar", "weight": 0.031}, ...] by p(word | topic)
    PRIMARY KEY (model_id, topic)
);

-- Each item's topic distribution p(topic | item) under a model (kept for the active model only).
CREATE TABLE interest_item_topic (
    model_id BIGINT           NOT NULL,
    item_id  TEXT             NOT NULL,
    topic    INTEGER          NOT NULL,
    p        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (model_id, item_id, topic)
);

-- Each user's topic mixture: her items' distributions averaged, weighted by engagements (active model only).
CREATE TABLE interest_user_topic (
    model_id BIGINT           NOT NULL,
    user_id  TEXT             NOT NULL,
    topic    INTEGER          NOT NULL,
    p        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (model_id, user_id, topic)
);
