-- Schema version 6: the reduction step (碳减排). Output (the denominators of intensity), targets
-- and the base-year recalculation log, measures, energy prices per source, and the step's
-- settings (discount rate, carbon price, significance threshold).
--
-- As everywhere: decimals are canonical TEXT as written, never summed by SQLite; nothing is
-- deleted. A change to an output record, a target (a rebase), a measure (its status, its inputs)
-- or a price is a new version of the row; the old version stays, marked superseded, so the
-- project file itself shows what a measure was planned as and what it became. Every change is
-- in the audit log.

-- Output of a year or a month (production in t, pieces or m2; value added or revenue in CNY or
-- 10^4 CNY), for the whole organisation (site_id NULL) or one site. One row per version, like
-- activity; `id` is the record's stable number.
CREATE TABLE output (
    row_id INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    metric TEXT NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER CHECK (month BETWEEN 1 AND 12),
    site_id INTEGER REFERENCES site(id),
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    note TEXT,
    reason TEXT,
    status TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'void')),
    created_at TEXT NOT NULL,
    UNIQUE (id, version)
) STRICT;

-- Targets against the base year: absolute (metric NULL) or intensity. A target keeps the
-- base-year figures it was set with (base_tco2e, base_output and the fingerprint of that
-- inventory); a recalculation (`target rebase`) is a new version with the new figures.
-- pathway: the preset's id and version (sbti-1.5c …) when the ambition is a pathway.
CREATE TABLE target (
    row_id INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    name TEXT NOT NULL,
    scopes TEXT NOT NULL CHECK (scopes IN ('1+2', '1+2+3', '3')),
    scope2 TEXT NOT NULL CHECK (scope2 IN ('location', 'market')),
    metric TEXT,
    metric_unit TEXT,
    base_year INTEGER NOT NULL,
    target_year INTEGER NOT NULL,
    reduction_pct TEXT NOT NULL,
    pathway TEXT,
    pathway_version TEXT,
    base_tco2e TEXT NOT NULL,
    base_output TEXT,
    base_fingerprint TEXT,
    status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
    created_at TEXT NOT NULL,
    UNIQUE (id, version),
    CHECK (target_year > base_year),
    CHECK ((metric IS NULL) = (metric_unit IS NULL))
) STRICT;

-- The base-year recalculation log (GHG Protocol ch. 5; ISO 14064-1's base-year clause): one row
-- per `target rebase`, append-only, with the reason and the old and new figures. It names the
-- target version it replaced and the one it made.
CREATE TABLE target_recalculation (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL,
    from_version INTEGER NOT NULL,
    to_version INTEGER NOT NULL,
    base_year INTEGER NOT NULL,
    was_tco2e TEXT NOT NULL,
    now_tco2e TEXT NOT NULL,
    change_pct TEXT NOT NULL,
    was_output TEXT,
    now_output TEXT,
    was_fingerprint TEXT,
    now_fingerprint TEXT,
    significant INTEGER NOT NULL CHECK (significant IN (0, 1)),
    threshold_pct TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    FOREIGN KEY (target_id, to_version) REFERENCES target(id, version)
) STRICT;

-- Reduction measures. status: where the measure stands; version_status: whether this row is the
-- measure's current version. inputs: JSON object of the kind's engineering inputs (numbers as
-- decimal strings, a refrigerant as its name); sources: JSON object role -> source id (the
-- sources the kind's formula changes); changes: JSON array of the changes given directly,
-- [{"source_id": 3, "quantity": "-20000", "unit": "m3"}], per year. Sources are kept by id, so
-- renaming a source does not lose a measure's changes.
CREATE TABLE measure (
    row_id INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('idea', 'planned', 'approved', 'in-progress', 'done')),
    start TEXT,
    inputs TEXT NOT NULL,
    sources TEXT NOT NULL,
    changes TEXT NOT NULL,
    capex TEXT NOT NULL,
    opex TEXT NOT NULL,
    lifetime INTEGER CHECK (lifetime BETWEEN 1 AND 100),
    meter_source_id INTEGER REFERENCES source(id),
    reason TEXT,
    version_status TEXT NOT NULL CHECK (version_status IN ('current', 'superseded')),
    created_at TEXT NOT NULL,
    UNIQUE (id, version)
) STRICT;

-- The energy price of a source set on the project: `cny` per one `per_unit` (any unit of the
-- source's dimension). A new price is a new version; clearing it is a void version (the factory's
-- own bills are then used, where they carry a cost).
CREATE TABLE energy_price (
    source_id INTEGER NOT NULL REFERENCES source(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    cny TEXT NOT NULL,
    per_unit TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'void')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (source_id, version)
) STRICT;

-- The reduction step's settings, one row (id 1) once any is set; NULL: the default (discount
-- rate 8 %, no carbon price, significance threshold 5 %). Changed in place, each change logged
-- with the whole row, as the project settings are.
CREATE TABLE reduction_setting (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    discount_rate_pct TEXT,
    carbon_price TEXT,
    significance_pct TEXT
) STRICT;
