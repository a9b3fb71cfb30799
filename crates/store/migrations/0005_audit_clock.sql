-- Schema version 5: where an audit entry's time came from. NULL: the computer's clock; otherwise
-- the name of what set it (LINGTAN_NOW, the fixed clock of tests and reproducible files). An
-- entry's hash covers the column only when it is set, so every entry written before keeps its
-- hash and the chain of an upgraded file still verifies.

ALTER TABLE audit_log ADD COLUMN clock TEXT;
