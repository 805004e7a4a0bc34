DROP INDEX revisions_by_time;
CREATE INDEX revisions_by_time ON revisions (recorded_at);
CREATE INDEX revisions_by_observation_time ON revisions (observation_id, recorded_at, id);
DROP INDEX revisions_by_supersession;
ALTER TABLE revisions DROP COLUMN superseded_by;
