-- Lingtan project file, schema version 1.
--
-- Decimal storage policy: quantities, factors and percentages are stored as canonical decimal
-- TEXT exactly as written (so '12.50' keeps its two decimals) and summed in Rust with
-- rust_decimal, never with SQL SUM() (which goes through floating point). No column is declared
-- NUMERIC or REAL: every table is STRICT, so SQLite cannot silently turn '10.100' into a float.
-- Dates are ISO 8601 TEXT (YYYY-MM-DD); timestamps are RFC 3339 UTC TEXT.
--
-- Nothing is deleted: an activity correction is a new version (activity.version) with a reason,
-- the old version is kept with status 'superseded'; a voided record keeps its rows too.
-- Every change is appended to audit_log, whose entries are hash-chained (see lingtan-store).

CREATE TABLE project (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    org_name TEXT NOT NULL,
    org_name_zh TEXT,
    year INTEGER NOT NULL,
    base_year INTEGER,
    gwp TEXT NOT NULL CHECK (gwp IN ('AR4', 'AR5', 'AR6')),
    boundary TEXT NOT NULL CHECK (boundary IN ('operational-control', 'financial-control', 'equity-share')),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE site (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    grid_region TEXT,
    address TEXT,
    equity_pct TEXT
) STRICT;

CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    site_id INTEGER NOT NULL REFERENCES site(id),
    kind TEXT NOT NULL,
    fuel TEXT,
    factor_id TEXT,
    market_factor_id TEXT,
    unit TEXT,
    uncertainty_pct TEXT
) STRICT;

-- Factors are versioned: (id, version). The calculation uses the highest version of an id; older
-- versions stay so an old inventory can be traced to what it used.
CREATE TABLE factor (
    id TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    name TEXT NOT NULL,
    name_zh TEXT,
    dataset TEXT NOT NULL,
    category TEXT NOT NULL,
    role TEXT,
    region TEXT,
    fuel TEXT,
    fuel_use TEXT,
    year INTEGER,
    published TEXT,
    unit TEXT NOT NULL,
    gases TEXT NOT NULL,          -- JSON object: gas id -> kg per unit, decimal strings
    co2e TEXT,                    -- kg CO2e per unit, when only that is published
    licence TEXT NOT NULL,
    citation TEXT NOT NULL,
    verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
    verification_note TEXT,
    uncertainty_pct TEXT,
    is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    origin TEXT NOT NULL CHECK (origin IN ('library', 'user')),
    PRIMARY KEY (id, version)
) STRICT;

CREATE TABLE fuel_property (
    id TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    fuel TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ncv', 'density')),
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    per_unit TEXT NOT NULL,
    citation TEXT NOT NULL,
    verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
    verification_note TEXT,
    is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    origin TEXT NOT NULL CHECK (origin IN ('library', 'user')),
    PRIMARY KEY (id, version)
) STRICT;

-- Evidence files (bills, certificates) stored inside the project, identified by SHA-256.
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    added_at TEXT NOT NULL
) STRICT;

-- One row per version of an activity record. `id` is the record's stable number (#12).
CREATE TABLE activity (
    row_id INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    source_id INTEGER NOT NULL REFERENCES source(id),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    note TEXT,
    evidence_id INTEGER REFERENCES evidence(id),
    reason TEXT,
    status TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'void')),
    created_at TEXT NOT NULL,
    UNIQUE (id, version),
    CHECK (period_to >= period_from)
) STRICT;

CREATE INDEX activity_current ON activity (source_id, period_from) WHERE status = 'current';

-- Append-only, hash-chained: hash = SHA-256 over prev_hash and the entry's fields.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
