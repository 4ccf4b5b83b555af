-- Read model of the "features" projection (io.ulm.feature, docs/features.md): each user's behavioural
-- feature inputs in event time, and her time-decayed interest in each item she engaged with. Features are
-- computed from these at read time, relative to the watermark (or an asOf). Rebuildable from the event log
-- (the projection's reset() truncates the three tables); a replay gives identical rows.

-- One row per user with activity or an acquisition. Times are event times; money at 4 decimals (each
-- event's amount rounded half-up before it is added, so sums do not depend on batch boundaries).
CREATE TABLE user_feature (
    user_id           TEXT           PRIMARY KEY,
    acquired_at       TIMESTAMPTZ,                -- UserAcquired.at: tenure starts here
    activities        BIGINT         NOT NULL,    -- ActivityRecorded classified as activity (refunds included)
    first_activity_at TIMESTAMPTZ,
    last_activity_at  TIMESTAMPTZ,                -- latest activity in event time: recency, and the session clock
    sessions          BIGINT         NOT NULL,    -- activities counted in log order, a new one after a gap >= ulm.features.session-gap
    purchases         BIGINT         NOT NULL,
    first_purchase_at TIMESTAMPTZ,
    last_purchase_at  TIMESTAMPTZ,                -- mean inter-purchase time = (last - first) / (purchases - 1)
    refunds           BIGINT         NOT NULL,
    revenue           NUMERIC(19, 4) NOT NULL,    -- gross: sum of purchase revenue
    refunded          NUMERIC(19, 4) NOT NULL     -- sum of |refund revenue|
);

-- Activities per user and UTC day (the activity trend compares the 28 days up to the watermark's day with
-- the 28 before).
CREATE TABLE user_feature_day (
    user_id    TEXT   NOT NULL,
    day        DATE   NOT NULL,
    activities BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- The user's decayed interest in one item: weight = sum over her activities touching the item of
-- x * 2^(-(as_of - t) / h) (x: ulm.features.*-weight, h: ulm.features.category-half-life), valid at as_of.
-- Category interests join this with the catalogue's current categories (item) at read time.
CREATE TABLE user_item_interest (
    user_id TEXT             NOT NULL,
    item_id TEXT             NOT NULL,
    weight  DOUBLE PRECISION NOT NULL,
    as_of   TIMESTAMPTZ      NOT NULL,
    events  BIGINT           NOT NULL,
    PRIMARY KEY (user_id, item_id)
);
CREATE INDEX user_item_interest_item ON user_item_interest (item_id);

-- The settings SQL readers need to decay interests as the service does: written at every start from
-- ulm.features.category-half-life, ulm.features.excluded-categories and ulm.lifecycle.allowed-lateness
-- (io.ulm.feature.FeatureSettingsRow); the defaults until then.
CREATE TABLE feature_setting (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    half_life INTERVAL NOT NULL,
    excluded  TEXT[]   NOT NULL,
    lateness  INTERVAL NOT NULL
);
INSERT INTO feature_setting (id, half_life, excluded, lateness) VALUES (1, INTERVAL '30 days', ARRAY['fees'], INTERVAL '0');

-- Every user's category interests decayed to at_time, for SQL readers: one row per user and category.
-- Java readers use io.ulm.feature.FeatureReads (same formula, evaluated in Java). Contributions after at_time
-- count undecayed (as in the API); a factor below 2^-1000 is 0 (PostgreSQL's power() fails on underflow).
CREATE FUNCTION feature_category_interest(at_time TIMESTAMPTZ, half_life INTERVAL, excluded TEXT[])
RETURNS TABLE (user_id TEXT, category TEXT, weight DOUBLE PRECISION)
LANGUAGE sql STABLE AS $$
    SELECT w.user_id, c.category,
           sum(w.weight * CASE WHEN d.e < -1000 THEN 0 ELSE power(2::float8, d.e) END)
    FROM user_item_interest w
    JOIN item i ON i.item_id = w.item_id
    CROSS JOIN LATERAL unnest(i.categories) AS c(category)
    CROSS JOIN LATERAL (SELECT -GREATEST(extract(epoch FROM at_time - w.as_of), 0)::float8
                               / extract(epoch FROM half_life)::float8 AS e) d
    WHERE c.category <> ALL (excluded)
    GROUP BY w.user_id, c.category
$$;

-- The same at the watermark (the lifecycle clock minus the allowed lateness) with the configured settings:
-- what rule segments compare (io.ulm.segment, ulm.segments.interest-table). A filter on user_id or category
-- is pushed down into the aggregate, so a per-user lookup reads only that user's items.
CREATE VIEW user_category_interest AS
    SELECT f.user_id, f.category, f.weight
    FROM feature_setting s
    CROSS JOIN lifecycle_clock k
    CROSS JOIN LATERAL feature_category_interest(k.max_event_time - s.lateness, s.half_life, s.excluded) f
    WHERE s.id = 1 AND k.id = 1;
