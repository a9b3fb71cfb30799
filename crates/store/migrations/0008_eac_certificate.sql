-- The duplicate-id check of one certificate (adding a certificate, showing one record) finds the
-- records with the same type and registry id through this index instead of reading every
-- certificate of the project. Ids are stored trimmed; the lookup compares them upper-cased
-- (ASCII), as the check compares them.
CREATE INDEX eac_certificate ON eac (type, upper(certificate));
