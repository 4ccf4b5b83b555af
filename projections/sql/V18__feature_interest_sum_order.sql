-- Category interests summed in item-id order. A float sum depends on the order of its terms, and without an
-- ORDER BY the executor's order varies between plans (the function alone vs. through the view, a per-user
-- lookup vs. a full scan): two SQL readers of the same state could differ in the last bits. Byte order of the
-- ids ("C"): the order io.ulm.feature.FeatureCalculator sums them in Java (for ids without characters past U+FFFF).
CREATE OR REPLACE FUNCTION feature_category_interest(at_time TIMESTAMPTZ, half_life INTERVAL, excluded TEXT[])
RETURNS TABLE (user_id TEXT, category TEXT, weight DOUBLE PRECISION)
LANGUAGE sql STABLE AS $$
    SELECT w.user_id, c.category,
           sum(w.weight * CASE WHEN d.e < -1000 THEN 0 ELSE power(2::float8, d.e) END ORDER BY w.item_id COLLATE "C")
    FROM user_item_interest w
    JOIN item i ON i.item_id = w.item_id
    CROSS JOIN LATERAL unnest(i.categories) AS c(category)
    CROSS JOIN LATERAL (SELECT -GREATEST(extract(epoch FROM at_time - w.as_of), 0)::float8
                               / extract(epoch FROM half_life)::float8 AS e) d
    WHERE c.category <> ALL (excluded)
    GROUP BY w.user_id, c.category
$$;
