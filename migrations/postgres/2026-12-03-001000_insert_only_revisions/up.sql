-- Revisions become insert-only: nothing about a revision changes once it is written. A
-- revision is the answer "as of" revision n (the last one recorded at or before an instant)
-- when it is its observation's latest with id <= n, found by one backward seek of
-- revisions_by_observation, or, for the whole state, by reading ids up to n in order and
-- keeping each observation's last.
-- Closing each validity interval rewrote every superseded revision: PostgreSQL leaves a dead
-- copy and writes the live one far from its neighbours by id, so reading an early instant
-- read twice the pages it needed.
DROP INDEX revisions_by_supersession;
ALTER TABLE revisions DROP COLUMN superseded_by;
CREATE INDEX revisions_by_observation ON revisions (observation_id, id);
