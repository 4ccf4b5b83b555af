-- Segments (io.ulm.segment, docs/segments.md): RFM segments, YAML rule segments and behavioural clusters.
-- Entering and leaving a segment are domain events on the user's stream (UserEnteredSegment,
-- UserLeftSegment), emitted by the segment evaluation job; segment_membership is built from them.

-- Write side: one row per evaluation run. The last finished one holds the watermark evaluated last, which
-- the scheduled job compares with the current watermark; events name their run by id.
CREATE TABLE segment_evaluation (
    id          BIGSERIAL   PRIMARY KEY,
    watermark   TIMESTAMPTZ NOT NULL,              -- event time the run evaluated at (the events' `at`)
    trigger     TEXT        NOT NULL,              -- 'watermark' (schedule, watermark moved) or 'demand'
    clustered   BOOLEAN     NOT NULL,              -- whether the run re-ran the clustering
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),  -- wall clock, for operators only
    finished_at TIMESTAMPTZ,
    users       BIGINT,                            -- users whose segments changed
    entered     BIGINT,
    "left"      BIGINT,
    summary     JSONB                              -- sizes per segment, skipped definitions
);

-- Write side: every user's current segments as the evaluations decided them, written in the same
-- transaction as the events. The next evaluation diffs against it, so it never depends on how far the
-- segment_membership projection has read (the aggregate keeps the same set and drops repeats anyway).
CREATE TABLE segment_ledger (
    segment_id TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (segment_id, user_id)
);

-- Write side: the clusters of the latest clustering run, described in original units (k-means centroid,
-- DBSCAN medoid), replaced by every clustering run.
CREATE TABLE segment_cluster (
    segment_id  TEXT        PRIMARY KEY,           -- cluster:kmeans:<n>, cluster:dbscan:<n>
    algorithm   TEXT        NOT NULL,
    label       INTEGER     NOT NULL,
    size        BIGINT      NOT NULL,
    evaluation  BIGINT      NOT NULL,
    watermark   TIMESTAMPTZ NOT NULL,
    description JSONB       NOT NULL
);
CREATE TABLE segment_clustering (
    id          SMALLINT    PRIMARY KEY CHECK (id = 1),
    evaluation  BIGINT      NOT NULL,
    watermark   TIMESTAMPTZ NOT NULL,
    report      JSONB       NOT NULL               -- features, scaling, k candidates and silhouettes, DBSCAN settings
);

-- Read model of the "segments" projection: who is in which segment, since when (event time of the
-- UserEnteredSegment), found by which evaluation and on what evidence. Rebuilt identically by a replay.
-- COLLATE "C": keyset pagination by user id in byte order, whatever the database's locale.
CREATE TABLE segment_membership (
    segment_id TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    since      TIMESTAMPTZ NOT NULL,
    evaluation BIGINT      NOT NULL,
    reason     TEXT        NOT NULL,
    evidence   JSONB       NOT NULL,
    PRIMARY KEY (segment_id, user_id)
);
CREATE INDEX segment_membership_user ON segment_membership (user_id);
