-- Reports keep their compact form: it is read back from the revisions, so nothing is lost;
-- the full form of before is not rebuilt.
SELECT 1;
