-- Schema version 4: interval meter data at full resolution. An import of a meter export writes
-- one series per meter, one row per reading, in the same batch as the monthly roll-ups (which are
-- ordinary activity records). Nothing here is summed by SQLite: values are decimal TEXT, summed
-- in Rust.

CREATE TABLE interval_series (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batch(id),
    source_id INTEGER NOT NULL REFERENCES source(id),
    sheet TEXT NOT NULL,
    meter TEXT,
    unit TEXT NOT NULL,
    interval_minutes INTEGER NOT NULL CHECK (interval_minutes > 0),
    -- how the file stamped its readings: 'beginning' or 'ending' of the interval
    stamp TEXT NOT NULL CHECK (stamp IN ('beginning', 'ending')),
    -- what the file held: 'energy', 'register' (differences × multiplier) or 'demand' (kW × h)
    measure TEXT NOT NULL CHECK (measure IN ('energy', 'register', 'demand')),
    multiplier TEXT,
    -- the id of its first reading; its readings are first_id .. first_id + readings - 1
    first_id INTEGER NOT NULL,
    readings INTEGER NOT NULL
) STRICT;

-- One row per reading. A series' readings are written in one go, so they hold a contiguous range
-- of ids (interval_series.first_id …, `readings` of them): reading a series is a range scan and
-- no index is needed. series_id is kept on every row for people reading the file; it has no
-- foreign-key check (a lookup per reading would double the write time) — `lingtan audit
-- --verify` checks every series against the digest of its readings in the audit log instead.
-- start: the interval's start in local time, as minutes since 1970-01-01 00:00 (no time zone);
-- value: energy in the series' unit; row, col: the 0-based cell the reading came from.
CREATE TABLE interval_reading (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    start INTEGER NOT NULL,
    value TEXT NOT NULL,
    row INTEGER NOT NULL,
    col INTEGER NOT NULL
) STRICT;

CREATE INDEX interval_series_source ON interval_series (source_id);

-- For people reading the file with sqlite3: the same readings with readable times.
CREATE VIEW interval_reading_local AS
SELECT series_id, id, strftime('%Y-%m-%d %H:%M', start * 60, 'unixepoch') AS start, value,
       row + 1 AS sheet_row, col + 1 AS sheet_column
FROM interval_reading;
