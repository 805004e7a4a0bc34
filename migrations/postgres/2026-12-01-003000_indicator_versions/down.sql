DROP TABLE indicator_versions;
