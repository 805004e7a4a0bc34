-- Reporting: reporters and their keys, submissions, observations with append-only revisions,
-- idempotency records, initiatives, the audit trail, and the data version.
-- Ids are allocated by the application under the write lock (see src/db/write.rs), so both
-- backends use plain primary keys.

CREATE TABLE data_state (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    writes BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO data_state (id, version, writes, updated_at) VALUES (1, 0, 0, CURRENT_TIMESTAMP);

CREATE TABLE reporters (
    id BIGINT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT REFERENCES economies (iso3),
    is_admin BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id BIGINT PRIMARY KEY NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES reporters (id),
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_by_reporter ON api_keys (reporter_id);

CREATE TABLE submissions (
    id BIGINT PRIMARY KEY NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES reporters (id),
    key_id BIGINT REFERENCES api_keys (id),
    format TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    created INTEGER NOT NULL,
    revised INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    data_version BIGINT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    report TEXT NOT NULL
);

CREATE TABLE observations (
    id BIGINT PRIMARY KEY NOT NULL,
    country TEXT NOT NULL REFERENCES economies (iso3),
    indicator TEXT NOT NULL REFERENCES indicators (code),
    year INTEGER NOT NULL,
    disaggregation TEXT NOT NULL,
    current_revision_id BIGINT NOT NULL,
    UNIQUE (country, indicator, year, disaggregation)
);
CREATE INDEX observations_by_indicator ON observations (indicator, year);

CREATE TABLE revisions (
    id BIGINT PRIMARY KEY NOT NULL,
    observation_id BIGINT NOT NULL REFERENCES observations (id),
    number INTEGER NOT NULL,
    value DOUBLE PRECISION,
    withdrawn BOOLEAN NOT NULL,
    source TEXT,
    nature TEXT NOT NULL,
    note TEXT,
    evidence_url TEXT,
    reporter_id BIGINT NOT NULL REFERENCES reporters (id),
    key_id BIGINT REFERENCES api_keys (id),
    submission_id BIGINT REFERENCES submissions (id),
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (observation_id, number)
);
CREATE INDEX revisions_by_time ON revisions (recorded_at);
CREATE INDEX revisions_by_submission ON revisions (submission_id);

CREATE TABLE idempotency_records (
    reporter_id BIGINT NOT NULL REFERENCES reporters (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (reporter_id, idempotency_key)
);

CREATE TABLE initiatives (
    id BIGINT PRIMARY KEY NOT NULL,
    country TEXT NOT NULL REFERENCES economies (iso3),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    url TEXT,
    year INTEGER,
    targets TEXT NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES reporters (id),
    key_id BIGINT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX initiatives_by_country ON initiatives (country);

CREATE TABLE audit_events (
    id BIGINT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_reporter_id BIGINT,
    actor_key_id BIGINT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
