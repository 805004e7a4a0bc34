-- A submission stores, per row in request order, [index, observation_id, revision_id, outcome]
-- instead of the row's whole report: the rest is read back from the revision it names (the new
-- one, or for an unchanged row the one it matched) and that revision's predecessor.
-- Reports stored whole are rewritten; an unchanged row's matched revision is the latest one
-- of its observation recorded by the submission.
UPDATE submissions SET report = COALESCE((
    SELECT jsonb_agg(jsonb_build_array(
        (row.value->>'index')::bigint,
        (row.value->>'observation_id')::bigint,
        COALESCE((row.value->>'revision_id')::bigint, (
            SELECT matched.id FROM revisions matched
            WHERE matched.observation_id = (row.value->>'observation_id')::bigint
              AND matched.recorded_at <= submissions.received_at
            ORDER BY matched.number DESC LIMIT 1)),
        row.value->>'outcome') ORDER BY row.ordinality)
    FROM jsonb_array_elements(submissions.report::jsonb->'rows') WITH ORDINALITY AS row(value, ordinality)
), '[]'::jsonb)::text
WHERE jsonb_typeof(report::jsonb) = 'object';

-- The data version at an instant is today's less the changes recorded since: submissions and
-- withdrawals after it, counted on these indexes (not over every revision since).
CREATE INDEX submissions_by_time ON submissions (received_at);
CREATE INDEX withdrawals_by_time ON revisions (recorded_at) WHERE submission_id IS NULL;
