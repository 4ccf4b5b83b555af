-- Read model of the item catalogue (io.ulm.catalogue), built from ItemCatalogued events (PUT /v1/items,
-- bulk and data-set imports) and from items first seen in behaviour events (created on the fly, no
-- categories yet). Rebuildable from the event log like every projection.
CREATE TABLE item (
    item_id     TEXT        PRIMARY KEY,
    title       TEXT,
    description TEXT,
    categories  TEXT[]      NOT NULL DEFAULT '{}',
    properties  JSONB       NOT NULL DEFAULT '{}',
    source      TEXT        NOT NULL,            -- 'catalogue' (defined) or 'seen' (created from an event)
    defined_at  TIMESTAMPTZ,                     -- when it was last defined through the catalogue API
    first_seen  TIMESTAMPTZ                      -- event time of the first behaviour event naming it
);
CREATE INDEX item_categories ON item USING gin (categories);
