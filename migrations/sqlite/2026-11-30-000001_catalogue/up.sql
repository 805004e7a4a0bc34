-- The catalogue: goals, targets with their rules as data, indicators, economies, groups, population.
CREATE TABLE goals (
    id INTEGER PRIMARY KEY NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    statement_en TEXT NOT NULL,
    statement_zh TEXT NOT NULL
);

CREATE TABLE indicators (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    direction TEXT NOT NULL,
    aggregation TEXT NOT NULL,
    disaggregations TEXT NOT NULL,
    note TEXT
);

CREATE TABLE country_groups (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    source TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE targets (
    id TEXT PRIMARY KEY NOT NULL,
    goal_id INTEGER NOT NULL REFERENCES goals (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target_value DOUBLE PRECISION,
    comparator TEXT NOT NULL,
    direction TEXT NOT NULL,
    group_code TEXT NOT NULL REFERENCES country_groups (code),
    comparison_group_code TEXT REFERENCES country_groups (code),
    deadline_year INTEGER NOT NULL,
    baseline_year INTEGER,
    measure TEXT NOT NULL,
    wording_verified BOOLEAN NOT NULL,
    text_en TEXT NOT NULL,
    text_zh TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE target_indicators (
    target_id TEXT NOT NULL REFERENCES targets (id),
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    position INTEGER NOT NULL,
    PRIMARY KEY (target_id, indicator_code)
);

CREATE TABLE economies (
    iso3 TEXT PRIMARY KEY NOT NULL,
    iso2 TEXT,
    m49 TEXT,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    un_region TEXT,
    un_subregion TEXT,
    status TEXT
);

CREATE TABLE group_members (
    group_code TEXT NOT NULL REFERENCES country_groups (code),
    iso3 TEXT NOT NULL REFERENCES economies (iso3),
    valid_from DATE,
    valid_to DATE,
    PRIMARY KEY (group_code, iso3)
);
CREATE INDEX group_members_by_country ON group_members (iso3);

CREATE TABLE population (
    iso3 TEXT NOT NULL REFERENCES economies (iso3),
    year INTEGER NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (iso3, year)
);
