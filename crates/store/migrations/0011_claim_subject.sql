-- The claim's subject (PAS 2060 clause 5, ISO 14068-1 "subject and boundary"): per framework and
-- per emission source, the user's decision to include the source in the subject of the claim or
-- to exclude it with a reason. Nothing is changed in place or deleted: a newer row supersedes an
-- older one for the same framework and source, and a `clear` row returns the source to the
-- framework's default subject (scopes 1 and 2; zcf-ii also ISO 14064-1 categories 3 and 4). Every
-- row is logged in the audit chain; in the data fingerprint (a claim's figures are made from it).
CREATE TABLE claim_subject (
    id INTEGER PRIMARY KEY,
    framework TEXT NOT NULL CHECK (framework IN ('iso14068-1', 'pas2060', 'zcf-i', 'zcf-ii')),
    source_id INTEGER NOT NULL REFERENCES source(id),
    decision TEXT NOT NULL CHECK (decision IN ('include', 'exclude', 'clear')),
    reason TEXT,                                    -- why the source is excluded, as written
    created_at TEXT NOT NULL,
    CHECK ((decision = 'exclude') = (reason IS NOT NULL))
) STRICT;
CREATE INDEX claim_subject_source ON claim_subject (framework, source_id, id);

-- The QES elements PAS 2060 asks beyond the data: why the subject was chosen, and the activities
-- carried out in it (NULL: not stated).
ALTER TABLE claim_setting ADD COLUMN subject_rationale TEXT;
ALTER TABLE claim_setting ADD COLUMN activities TEXT;
