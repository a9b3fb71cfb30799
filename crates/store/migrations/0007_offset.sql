-- The offset step (碳抵消): energy attribute certificates (EACs) for the market-based scope 2,
-- carbon-credit blocks by their registry serials, and the retirements (cancellations) of both.
-- Everything about it is in this one file. Nothing is deleted: a voided certificate or block
-- keeps its row (status 'void' with the reason); a block retired in part is kept as
-- 'superseded' and its parts — the retired sub-range and the rest — are new rows pointing to it
-- (parent_id). Every row is logged in the audit chain; all three tables are in the data
-- fingerprint. Decimals are canonical TEXT (MWh); credit units and quantities are whole tonnes,
-- stored as INTEGER (a unit number has at most 15 digits).

-- A retirement (注销 / 核销) as the registry's record states it: when, for whom, for which
-- claim year (credits), why, and the registry's statement stored as evidence.
CREATE TABLE retirement (
    id INTEGER PRIMARY KEY,
    retired_on TEXT NOT NULL,                       -- YYYY-MM-DD
    beneficiary TEXT NOT NULL,
    for_year INTEGER,                               -- the claim year (required for a credit)
    reason TEXT,
    evidence_id INTEGER REFERENCES evidence(id),    -- the retirement statement
    created_at TEXT NOT NULL
) STRICT;

-- One row per certificate record; `id` is the record's number (what retire and void take),
-- `certificate` the registry's id kept verbatim (a GEC code, an I-REC serial …).
CREATE TABLE eac (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('gec', 'green-power', 'i-rec', 'go', 'rec', 'other')),
    certificate TEXT NOT NULL,
    mwh TEXT NOT NULL,                              -- canonical decimal
    gen_from TEXT NOT NULL,                         -- first generation month, YYYY-MM
    gen_to TEXT NOT NULL,                           -- last generation month, YYYY-MM
    sites TEXT NOT NULL,                            -- JSON array of site names; [] = every site
    technology TEXT,
    plant TEXT,
    region TEXT,
    tradable INTEGER CHECK (tradable IN (0, 1)),
    subsidy INTEGER CHECK (subsidy IN (0, 1)),
    acquired TEXT CHECK (acquired IN ('purchase', 'own-generation', 'power-trade')),
    purchased_on TEXT,                              -- YYYY-MM-DD (an import's trade or order date)
    for_year INTEGER,                               -- claim year; NULL = the year generation ends
    status TEXT NOT NULL CHECK (status IN ('held', 'retired', 'void')),
    retirement_id INTEGER REFERENCES retirement(id),
    void_reason TEXT,
    evidence_id INTEGER REFERENCES evidence(id),    -- the certificate or the purchase record
    batch_id INTEGER REFERENCES import_batch(id),   -- the import it came from, undone together
    origin_ref TEXT,                                -- sheet!row of that import
    created_at TEXT NOT NULL,
    CHECK (gen_to >= gen_from),
    CHECK (status <> 'retired' OR retirement_id IS NOT NULL)
) STRICT;

CREATE INDEX eac_batch ON eac (batch_id) WHERE batch_id IS NOT NULL;

-- One row per block of credits. The serial is kept as the registry writes it; what was read
-- from it (the block it belongs to, its first and last unit, quantity, project, vintage, host
-- country, the registry's own fields) is kept beside it.
CREATE TABLE credit (
    id INTEGER PRIMARY KEY,
    registry TEXT NOT NULL CHECK (registry IN ('verra', 'gold-standard', 'cdm', 'ccer', 'acr', 'car', 'art', 'other')),
    serial TEXT NOT NULL,
    serial_key TEXT NOT NULL,                       -- the serial upper-cased without spaces
    reading TEXT NOT NULL CHECK (reading IN ('grammar', 'range', 'verbatim')),
    block_key TEXT NOT NULL,                        -- issuance / batch: overlaps are compared within it
    first_unit INTEGER,
    last_unit INTEGER,
    quantity INTEGER NOT NULL CHECK (quantity > 0), -- tCO2e
    project_id TEXT,
    vintage TEXT,                                   -- YYYY or YYYY-MM-DD..YYYY-MM-DD
    country TEXT,
    fields TEXT NOT NULL,                           -- JSON object of the registry's own fields
    project TEXT,
    methodology TEXT,
    type TEXT CHECK (type IN ('avoidance', 'removal')),
    labels TEXT NOT NULL,                           -- JSON array (CCP, CORSIA, CCB …)
    status TEXT NOT NULL CHECK (status IN ('held', 'retired', 'void', 'superseded')),
    parent_id INTEGER REFERENCES credit(id),        -- the block this part was split from
    retirement_id INTEGER REFERENCES retirement(id),
    void_reason TEXT,
    evidence_id INTEGER REFERENCES evidence(id),    -- the purchase record
    created_at TEXT NOT NULL,
    CHECK ((first_unit IS NULL) = (last_unit IS NULL)),
    CHECK (first_unit IS NULL OR (first_unit <= last_unit AND quantity = last_unit - first_unit + 1)),
    CHECK (status <> 'retired' OR retirement_id IS NOT NULL)
) STRICT;

-- The double-counting check of a new block reads only the blocks of its issuance whose range
-- can meet it, and the blocks with its serial: both from these indexes, never a full scan.
CREATE INDEX credit_block ON credit (registry, block_key, first_unit, last_unit) WHERE status IN ('held', 'retired');
CREATE INDEX credit_serial ON credit (registry, serial_key) WHERE status IN ('held', 'retired');
