-- The first year an indicator's values may describe (ITU's historical series start in 1960).
ALTER TABLE indicators ADD COLUMN first_year INTEGER NOT NULL DEFAULT 1960;
