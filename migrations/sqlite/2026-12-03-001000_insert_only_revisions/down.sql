ALTER TABLE revisions ADD COLUMN superseded_by BIGINT;
UPDATE revisions SET superseded_by = (
    SELECT next.id FROM revisions next
    WHERE next.observation_id = revisions.observation_id AND next.number = revisions.number + 1
);
CREATE INDEX revisions_by_supersession ON revisions (superseded_by);
