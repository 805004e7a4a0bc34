-- "The revision of this observation known at instant t" is one index seek: the latest entry
-- for (observation_id, recorded_at <= t). SQLite ends every index entry with the rowid (the
-- revision id), so revisions recorded in the same instant are ordered by commit too.
-- Existing revisions are indexed as the index is built.
CREATE INDEX revisions_by_observation_time ON revisions (observation_id, recorded_at);
