-- Generated from reference/ by tests/api/reference_data.rs; do not edit by hand.
UPDATE indicators SET max_value = NULL WHERE code = 'ewaste_generated_kg';
UPDATE indicators SET max_value = NULL WHERE code = 'ewaste_recycled_kg';
UPDATE indicators SET min_value = NULL, max_value = NULL WHERE code = 'ict_ghg_abatement_mt';
UPDATE indicators SET max_value = NULL WHERE code = 'partnerships_count';
