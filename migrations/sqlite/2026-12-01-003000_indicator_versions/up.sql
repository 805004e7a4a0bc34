-- The data version at which each indicator's values last changed, bumped in the same write
-- transaction as `data_state.version`: a cached answer that reads only other indicators stays
-- valid across a write, on every instance alike. Indicators with values start at the current
-- version (their real last change is not recorded).
CREATE TABLE indicator_versions (
    indicator TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO indicator_versions (indicator, version)
SELECT DISTINCT observations.indicator, (SELECT version FROM data_state WHERE id = 1) FROM observations WHERE true;
