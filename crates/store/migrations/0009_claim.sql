-- The certification step (零碳认证): what a claim's documents need beyond the data, one row per
-- framework (`iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`) once anything is set for it. NULL: not
-- stated (the claim's checks say what is missing). Changed in place like the project settings,
-- every change logged with the whole row, so the log holds every value it ever had; in the data
-- fingerprint (a claim's documents are made from it).
CREATE TABLE claim_setting (
    framework TEXT PRIMARY KEY CHECK (framework IN ('iso14068-1', 'pas2060', 'zcf-i', 'zcf-ii')),
    statement_date TEXT,                            -- YYYY-MM-DD: the statement / declaration
    verification TEXT CHECK (verification IN ('third-party', 'other-party', 'self')),
    verifier TEXT,                                  -- the verification or validation body
    senior TEXT,                                    -- the senior representative who signs
    commitment_year INTEGER,                        -- committed to carbon neutrality by
    subject TEXT,                                   -- the subject of the claim, and why
    published_at TEXT,                              -- where the statement is made public
    plan_reviewed TEXT,                             -- YYYY-MM-DD: the plan's last review
    first_period INTEGER CHECK (first_period IN (0, 1)),  -- 0: a period was claimed before
    star_level INTEGER CHECK (star_level BETWEEN 3 AND 6)
) STRICT;
