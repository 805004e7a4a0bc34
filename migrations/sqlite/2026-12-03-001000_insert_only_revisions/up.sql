-- Revisions become insert-only: nothing about a revision changes once it is written. A
-- revision is the answer "as of" revision n (the last one recorded at or before an instant)
-- when it is its observation's latest with id <= n, found by one seek of (observation_id, id)
-- (SQLite: the UNIQUE (observation_id, number) index, which ends with the id, the rowid), or,
-- for the whole state, by reading ids up to n in order and keeping each observation's last.
-- Closing each validity interval rewrote every superseded revision: on PostgreSQL that leaves
-- a dead copy and moves the live one far from its neighbours by id, so reading an early
-- instant read twice the pages it needed.
DROP INDEX revisions_by_supersession;
ALTER TABLE revisions DROP COLUMN superseded_by;
