-- Generated from reference/ by tests/api/reference_data.rs; do not edit by hand.
UPDATE indicators SET max_value = 1000000000000.0 WHERE code = 'ewaste_generated_kg';
UPDATE indicators SET max_value = 1000000000000.0 WHERE code = 'ewaste_recycled_kg';
UPDATE indicators SET min_value = -100000.0, max_value = 100000.0 WHERE code = 'ict_ghg_abatement_mt';
UPDATE indicators SET max_value = 1000000.0 WHERE code = 'partnerships_count';
