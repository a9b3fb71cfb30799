-- Schema version 2: import batches (an import is written, and reverted, as one batch), where an
-- imported activity row came from (sheet!row), and the report's preparer and date (reports take
-- their date from the project, never from the clock).

CREATE TABLE import_batch (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    evidence_id INTEGER REFERENCES evidence(id),
    rows INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    reverted_at TEXT,
    revert_reason TEXT
) STRICT;

ALTER TABLE activity ADD COLUMN batch_id INTEGER REFERENCES import_batch(id);
ALTER TABLE activity ADD COLUMN origin_ref TEXT;
ALTER TABLE project ADD COLUMN prepared_by TEXT;
ALTER TABLE project ADD COLUMN report_date TEXT;

CREATE INDEX activity_batch ON activity (batch_id) WHERE batch_id IS NOT NULL;
