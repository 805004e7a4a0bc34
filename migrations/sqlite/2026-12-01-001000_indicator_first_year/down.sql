ALTER TABLE indicators DROP COLUMN first_year;
