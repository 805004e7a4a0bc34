DELETE FROM population;
DELETE FROM group_members;
DELETE FROM economies;
DELETE FROM target_indicators;
DELETE FROM targets;
DELETE FROM country_groups;
DELETE FROM indicators;
DELETE FROM goals;
