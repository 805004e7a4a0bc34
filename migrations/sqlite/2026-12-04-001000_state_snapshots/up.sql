-- Every value as known at a revision, stored whole: a past state is its last snapshot at or
-- before the instant plus the revisions recorded after that snapshot, never the whole history
-- before it. `value_bits` holds one 8-byte little-endian IEEE 754 double per observation id
-- from 0 up, the all-ones NaN where there was no value (see src/db/snapshots.rs). A snapshot
-- never changes: the revisions up to it never do.
CREATE TABLE state_snapshots (
    revision_id INTEGER PRIMARY KEY NOT NULL,
    value_bits BLOB NOT NULL
);
