-- The zero-carbon-factory evaluation (T/CECA-G 0171-2022): the assessor's scoring table, imported
-- from their xlsx or csv as one batch (import_batch, the file stored as its evidence). One row per
-- sub-item as the file states it: indicator, sub-item, weight, maximum and score (canonical
-- decimal TEXT), the table's maximum (what the weights add up to) and where the row was read
-- (`scores.xlsx, sheet 评分, row 7`). A later import makes a new batch, which is the current table;
-- the earlier rows stay. Every row is logged in the audit chain; not part of the data fingerprint
-- (the inventory is not computed from it).
CREATE TABLE zcf_score (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batch(id),
    position INTEGER NOT NULL,          -- the row's order in the table, from 1
    indicator TEXT NOT NULL,
    sub_item TEXT NOT NULL,
    weight TEXT NOT NULL,
    maximum TEXT NOT NULL,
    score TEXT NOT NULL,
    table_maximum TEXT NOT NULL,
    place TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (batch_id, position)
) STRICT;
