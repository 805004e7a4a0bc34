-- Reports keep their compact form: it is read back from the revisions, so nothing is lost;
-- the full form of before is not rebuilt.

DROP INDEX withdrawals_by_time;
DROP INDEX submissions_by_time;
