-- "The revision of this observation known at instant t" is one index seek: the latest entry
-- for (observation_id, recorded_at <= t). The id (commit order) breaks ties between revisions
-- recorded in the same instant. Existing revisions are indexed as the index is built.
CREATE INDEX revisions_by_observation_time ON revisions (observation_id, recorded_at, id);
