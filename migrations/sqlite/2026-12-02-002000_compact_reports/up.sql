-- A submission stores, per row in request order, [index, observation_id, revision_id, outcome]
-- instead of the row's whole report: the rest is read back from the revision it names (the new
-- one, or for an unchanged row the one it matched) and that revision's predecessor.
-- Reports stored whole are rewritten; an unchanged row's matched revision is the latest one
-- of its observation recorded by the submission.
UPDATE submissions SET report = (
    SELECT json_group_array(json_array(
        json_extract(row.value, '$.index'),
        json_extract(row.value, '$.observation_id'),
        COALESCE(json_extract(row.value, '$.revision_id'), (
            SELECT matched.id FROM revisions matched
            WHERE matched.observation_id = json_extract(row.value, '$.observation_id')
              AND matched.recorded_at <= submissions.received_at
            ORDER BY matched.number DESC LIMIT 1)),
        json_extract(row.value, '$.outcome')))
    FROM json_each(submissions.report, '$.rows') AS row
)
WHERE json_type(report) = 'object';

-- The data version at an instant is today's less the changes recorded since: submissions and
-- withdrawals after it, counted on these indexes (not over every revision since).
CREATE INDEX submissions_by_time ON submissions (received_at);
CREATE INDEX withdrawals_by_time ON revisions (recorded_at) WHERE submission_id IS NULL;
