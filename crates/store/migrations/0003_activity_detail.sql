-- Schema version 3: what a bill says besides its quantity, kept with the record as a JSON
-- object of decimal strings: peak / flat / valley quantities (峰 / 平 / 谷), the cost and its
-- currency, the meter or account number. Nothing in it is summed by SQL.

ALTER TABLE activity ADD COLUMN detail TEXT;
