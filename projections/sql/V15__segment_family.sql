-- UserEnteredSegment revision 2 carries the segment's family (rfm, rule, cluster; docs/schema-evolution.md).
-- The segments projection stores it, so read models can be filtered by family without parsing ids. Existing rows get
-- it from their id (what the revision 1 → 2 upcaster does for old events); a replay writes the same values.
ALTER TABLE segment_membership ADD COLUMN family TEXT;
UPDATE segment_membership SET family = split_part(segment_id, ':', 1);
ALTER TABLE segment_membership ALTER COLUMN family SET NOT NULL;
