use super::*;
use crate::domain::catalogue::{Aggregation, Direction, Disaggregation, Economy, Indicator};

fn catalogue() -> Catalogue {
    let economy = |iso3: &str| Economy {
        iso3: iso3.into(),
        iso2: None,
        m49: None,
        name: iso3.into(),
        short_name: iso3.into(),
        un_region: None,
        un_subregion: None,
        status: None,
    };
    let indicator = |code: &str, unit, min, max| Indicator {
        code: code.into(),
        name: code.into(),
        unit,
        min_value: min,
        max_value: max,
        direction: Direction::HigherIsBetter,
        aggregation: Aggregation::PopulationWeightedMean,
        disaggregations: vec![Disaggregation { dimension: "sex".into(), values: vec!["female".into(), "male".into()] }],
        note: None,
        first_year: 1960,
    };
    Catalogue {
        economies: vec![economy("KEN"), economy("FRA")],
        indicators: vec![
            indicator("internet_pct", Unit::Percent, Some(0.0), Some(100.0)),
            indicator("netp", Unit::Boolean, None, None),
        ],
        ..Default::default()
    }
}

fn row(index: usize, fields: &[(&str, RawValue)]) -> RawRow {
    RawRow { index, fields: fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() }
}

fn t(text: &str) -> RawValue {
    RawValue::Text(text.into())
}

fn good(index: usize, year: &str, value: &str) -> RawRow {
    row(index, &[("country", t("ken")), ("indicator", t("internet_pct")), ("year", t(year)), ("value", t(value))])
}

#[test]
fn a_good_row_becomes_a_typed_observation() {
    let valid = validate_row(&good(0, "2020", "29.5"), &catalogue(), 2026).unwrap();
    assert_eq!(valid.country, "KEN");
    assert_eq!(valid.year, 2020);
    assert_eq!(valid.value, ObservedValue::Number(29.5));
    assert_eq!(valid.nature, None, "left out: the stored nature stays");
    assert_eq!(valid.disaggregation, "");
}

#[test]
fn bad_rows_name_each_field_with_a_stable_code() {
    let cases: Vec<(RawRow, &str, &str)> = vec![
        (good(0, "2020", "100.5"), "value", "out_of_range"),
        (good(0, "2020", "-1"), "value", "out_of_range"),
        (good(0, "2020", "NaN"), "value", "not_finite"),
        (good(0, "2020", "1e400"), "value", "not_finite"),
        (good(0, "2020", "abc"), "value", "invalid_number"),
        (good(0, "99999", "1"), "year", "out_of_range"),
        (good(0, "1959", "1"), "year", "out_of_range"),
        (good(0, "2027", "1"), "year", "out_of_range"),
        (good(0, "20.5", "1"), "year", "invalid_year"),
        (
            row(0, &[("country", t("XXZ")), ("indicator", t("internet_pct")), ("year", t("2020")), ("value", t("1"))]),
            "country",
            "unknown_country",
        ),
        (
            row(0, &[("country", t("KEN")), ("indicator", t("nope")), ("year", t("2020")), ("value", t("1"))]),
            "indicator",
            "unknown_indicator",
        ),
        (row(0, &[("country", t("KEN")), ("indicator", t("internet_pct")), ("year", t("2020"))]), "value", "required"),
        (
            row(0, &[("country", t("KEN")), ("indicator", t("netp")), ("year", t("2020")), ("value", t("maybe"))]),
            "value",
            "invalid_value",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("internet_pct")),
                    ("year", t("2020")),
                    ("value", t("1")),
                    ("disaggregation", t("age=young")),
                ],
            ),
            "disaggregation",
            "invalid_disaggregation",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("internet_pct")),
                    ("year", t("2020")),
                    ("value", t("1")),
                    ("disaggregation", t("sex=other")),
                ],
            ),
            "disaggregation",
            "invalid_disaggregation",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("internet_pct")),
                    ("year", t("2020")),
                    ("value", t("1")),
                    ("nature", t("guessed")),
                ],
            ),
            "nature",
            "invalid_value",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("internet_pct")),
                    ("year", t("2020")),
                    ("value", t("1")),
                    ("vaule", t("1")),
                ],
            ),
            "vaule",
            "unknown_field",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("internet_pct")),
                    ("year", t("2020")),
                    ("value", t("1")),
                    ("evidence_url", t("https://x.org/plan")),
                ],
            ),
            "evidence_url",
            "not_allowed",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("netp")),
                    ("year", t("2020")),
                    ("value", t("yes")),
                    ("evidence_url", t("javascript:alert(1)")),
                ],
            ),
            "evidence_url",
            "invalid_url",
        ),
        (
            row(
                0,
                &[
                    ("country", RawValue::Number(1.0)),
                    ("indicator", t("netp")),
                    ("year", t("2020")),
                    ("value", t("yes")),
                ],
            ),
            "country",
            "invalid_type",
        ),
        (
            row(
                0,
                &[
                    ("country", t("KEN")),
                    ("indicator", t("internet_pct")),
                    ("year", t("2020")),
                    ("value", t("1")),
                    ("note", t(&"x".repeat(MAX_NOTE_LEN + 1))),
                ],
            ),
            "note",
            "too_long",
        ),
    ];
    for (raw, field, code) in cases {
        let errors = validate_row(&raw, &catalogue(), 2026).expect_err(&format!("{field} {code} should fail"));
        assert!(errors.iter().any(|e| e.field == field && e.code == code), "{field} {code}: {errors:?}");
    }
}

#[test]
fn yes_no_values_and_minus_zero_are_normalised() {
    let yes = row(0, &[("country", t("KEN")), ("indicator", t("netp")), ("year", t("2020")), ("value", t("Yes"))]);
    assert_eq!(validate_row(&yes, &catalogue(), 2026).unwrap().value, ObservedValue::YesNo(YesNo::Yes));
    let json_no = row(
        0,
        &[
            ("country", t("KEN")),
            ("indicator", t("netp")),
            ("year", RawValue::Number(2020.0)),
            ("value", RawValue::Bool(false)),
        ],
    );
    assert_eq!(validate_row(&json_no, &catalogue(), 2026).unwrap().value, ObservedValue::YesNo(YesNo::No));
    let minus_zero = validate_row(&good(0, "2020", "-0"), &catalogue(), 2026).unwrap();
    assert!(matches!(minus_zero.value, ObservedValue::Number(n) if n == 0.0 && n.is_sign_positive()));
}

#[test]
fn disaggregations_are_canonical_whatever_their_form() {
    let from_text = row(
        0,
        &[
            ("country", t("KEN")),
            ("indicator", t("internet_pct")),
            ("year", t("2020")),
            ("value", t("1")),
            ("disaggregation", t(" sex = female ")),
        ],
    );
    let object = RawValue::Object([("sex".to_string(), "female".to_string())].into_iter().collect());
    let from_object = row(
        0,
        &[
            ("country", t("KEN")),
            ("indicator", t("internet_pct")),
            ("year", t("2020")),
            ("value", t("1")),
            ("disaggregation", object),
        ],
    );
    assert_eq!(validate_row(&from_text, &catalogue(), 2026).unwrap().disaggregation, "sex=female");
    assert_eq!(validate_row(&from_object, &catalogue(), 2026).unwrap().disaggregation, "sex=female");
}

#[test]
fn a_batch_reports_every_bad_row_and_duplicates() {
    let rows = vec![good(0, "2020", "10"), good(1, "2020", "11"), good(2, "2021", "500"), good(3, "2022", "12")];
    let errors = validate_batch(&rows, &catalogue(), 2026).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].index, errors[0].code.as_str()), (Some(1), "duplicate_row"));
    assert_eq!((errors[1].index, errors[1].code.as_str()), (Some(2), "out_of_range"));
    assert_eq!(validate_batch(&rows[2..2], &catalogue(), 2026).unwrap().len(), 0);
}

#[test]
fn attributes_left_out_are_kept_and_empty_ones_cleared_but_empty_required_fields_are_missing() {
    let mut sent = good(0, "2020", "10");
    sent.fields.insert("source", RawValue::Empty);
    sent.fields.insert("note", t("  "));
    sent.fields.insert("nature", RawValue::Empty);
    let valid = validate_row(&sent, &catalogue(), 2026).unwrap();
    assert_eq!((valid.source, valid.note, valid.nature), (Some(None), Some(None), Some(Nature::Reported)));
    assert_eq!(valid.evidence_url, None, "left out: kept");
    let mut empty_value = good(0, "2020", "10");
    empty_value.fields.insert("value", RawValue::Empty);
    empty_value.fields.insert("country", RawValue::Empty);
    let errors = validate_row(&empty_value, &catalogue(), 2026).unwrap_err();
    let found: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(found, [("country", "required"), ("value", "required")]);
}
