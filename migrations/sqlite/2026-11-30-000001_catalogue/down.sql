DROP TABLE population;
DROP TABLE group_members;
DROP TABLE economies;
DROP TABLE target_indicators;
DROP TABLE targets;
DROP TABLE country_groups;
DROP TABLE indicators;
DROP TABLE goals;
