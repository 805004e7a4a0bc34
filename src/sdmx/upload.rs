//! SDMX-CSV sent by member states: each line becomes the fields of the service's own CSV
//! (`country`, `indicator`, `year`, `value`, `disaggregation`, `source`, `nature`, `note`,
//! `evidence_url`), so it goes through exactly the same validation, and errors name the
//! file's lines and SDMX columns. Reading a line needs nothing but the line ([`Columns`]);
//! what needs the catalogue and the agency (the dataflow named, the unit, yes/no values
//! written 1 and 0) is [`resolve`]d afterwards.

use super::csv::CsvVersion;
use super::structure::{unit_code, NATURES};
use super::{ANNUAL, BREAKDOWNS, DIMENSIONS, OBS_ATTRIBUTES, OBS_VALUE, SERIES_ATTRIBUTES, TIME_PERIOD, TOTAL};
use crate::domain::catalogue::{Catalogue, Unit};
use crate::domain::observation::{RawRow, RawValue};
use crate::domain::validation::FieldError;

/// Fields a line carries until [`resolve`] checks and removes them.
const FLOW_FIELD: &str = "sdmx:flow";
const UNIT_FIELD: &str = "sdmx:unit";

/// What a column of an SDMX-CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `DATAFLOW` (1.0.0) or `STRUCTURE_ID` (2.0.0): the dataflow.
    Flow,
    /// `STRUCTURE` (2.0.0): `dataflow`.
    Structure,
    /// `ACTION` (2.0.0).
    Action,
    /// A dimension, by position in [`DIMENSIONS`].
    Dimension(usize),
    /// `TIME_PERIOD`.
    Time,
    /// `OBS_VALUE`.
    Value,
    /// `UNIT_MEASURE`.
    Unit,
    /// An observation attribute, by position in [`OBS_ATTRIBUTES`].
    Attribute(usize),
}

/// The service's field behind each SDMX column, for error reports.
const FIELD_COLUMNS: [(&str, &str); 8] = [
    ("country", "REF_AREA"),
    ("indicator", "INDICATOR"),
    ("year", TIME_PERIOD),
    ("value", OBS_VALUE),
    ("source", "SOURCE_DETAIL"),
    ("nature", "NATURE"),
    ("note", "COMMENT_OBS"),
    ("evidence_url", "EVIDENCE_URL"),
];

/// The SDMX column an error about a service field concerns (`disaggregation`: `SEX` or
/// `URBANISATION`).
pub fn column_of(field: &str) -> &str {
    match field {
        "disaggregation" => "SEX/URBANISATION",
        other => FIELD_COLUMNS.iter().find(|(f, _)| *f == other).map_or(other, |(_, column)| column),
    }
}

/// The columns of a file, read from its header.
#[derive(Debug, Clone)]
pub struct Columns {
    roles: Vec<Role>,
}

fn role(version: CsvVersion, name: &str) -> Option<Role> {
    // With labels, a column reads `REF_AREA: Reference area`.
    let id = name.split_once(':').map_or(name, |(id, _)| id).trim();
    Some(match (version, id) {
        (CsvVersion::V1, "DATAFLOW") | (CsvVersion::V2, "STRUCTURE_ID") => Role::Flow,
        (CsvVersion::V2, "STRUCTURE") => Role::Structure,
        (CsvVersion::V2, "ACTION") => Role::Action,
        (_, TIME_PERIOD) => Role::Time,
        (_, OBS_VALUE) => Role::Value,
        (_, unit) if unit == SERIES_ATTRIBUTES[0] => Role::Unit,
        (_, other) => match DIMENSIONS.iter().position(|d| *d == other) {
            Some(n) => Role::Dimension(n),
            None => Role::Attribute(OBS_ATTRIBUTES.iter().position(|a| *a == other)?),
        },
    })
}

impl Columns {
    /// Reads the header row.
    pub fn read(version: CsvVersion, header: &[&str]) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut roles = Vec::new();
        for (n, name) in header.iter().enumerate() {
            match role(version, name) {
                Some(role) if roles.contains(&role) => {
                    errors.push(FieldError::request(name, "duplicate_column", format!("column `{name}` appears twice")))
                }
                Some(role) => roles.push(role),
                None => errors.push(FieldError::request(
                    name,
                    "unknown_column",
                    format!("column {} `{name}` is not a component of the dataflow", n + 1),
                )),
            }
        }
        let required: &[(Role, &str)] = match version {
            CsvVersion::V1 => &[(Role::Flow, "DATAFLOW")],
            CsvVersion::V2 => &[(Role::Structure, "STRUCTURE"), (Role::Flow, "STRUCTURE_ID")],
        };
        let data = [
            (Role::Dimension(1), "REF_AREA"),
            (Role::Dimension(2), "INDICATOR"),
            (Role::Time, TIME_PERIOD),
            (Role::Value, OBS_VALUE),
        ];
        for (role, name) in required.iter().chain(&data) {
            if !roles.contains(role) {
                errors.push(FieldError::request(name, "missing_column", format!("the header needs `{name}`")));
            }
        }
        if errors.is_empty() {
            Ok(Self { roles })
        } else {
            Err(errors)
        }
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// The service's fields of one line (cells already unescaped) and the problems of its
    /// SDMX-only columns; a line with problems still gives its fields, so that every problem
    /// of the batch is reported at once.
    pub fn fields(&self, line: usize, cells: &[&str]) -> (Vec<(&'static str, String)>, Vec<FieldError>) {
        let mut fields = Vec::new();
        let mut errors = Vec::new();
        let mut breakdown = [TOTAL; 2];
        let (mut status, mut nature) = (None, None);
        let mut fail =
            |column: &str, code: &str, detail: String| errors.push(FieldError::row(line, column, code, detail));
        for (role, cell) in self.roles.iter().zip(cells.iter().map(|c| c.trim())) {
            match role {
                Role::Flow => fields.push((FLOW_FIELD, cell.to_string())),
                Role::Structure if cell != "dataflow" => {
                    fail("STRUCTURE", "unknown_dataflow", format!("`{cell}` is not `dataflow`"))
                }
                Role::Action if !matches!(cell, "I" | "A" | "R" | "") => fail(
                    "ACTION",
                    "unsupported_action",
                    format!(
                        "action `{cell}`: send I, A or R (withdraw a value with DELETE /api/v1/observations/{{id}})"
                    ),
                ),
                Role::Dimension(0) if !matches!(cell, ANNUAL | "") => {
                    fail("FREQ", "invalid_frequency", format!("`{cell}`: this dataflow is annual (A)"))
                }
                Role::Dimension(1) => fields.push(("country", cell.to_string())),
                Role::Dimension(2) => fields.push(("indicator", cell.to_string())),
                Role::Dimension(n @ (3 | 4)) if !cell.is_empty() => breakdown[n - 3] = cell,
                Role::Time => fields.push(("year", cell.to_string())),
                Role::Value => fields.push(("value", cell.to_string())),
                Role::Unit => fields.push((UNIT_FIELD, cell.to_string())),
                Role::Attribute(0) if !cell.is_empty() => status = Some(cell),
                Role::Attribute(1) if !cell.is_empty() => nature = Some(cell),
                Role::Attribute(2) => fields.push(("source", cell.to_string())),
                Role::Attribute(3) => fields.push(("note", cell.to_string())),
                Role::Attribute(4) => fields.push(("evidence_url", cell.to_string())),
                _ => {}
            }
        }
        let pairs: Vec<String> = BREAKDOWNS
            .iter()
            .zip(breakdown)
            .filter(|(_, code)| *code != TOTAL)
            .map(|((_, dimension), code)| format!("{dimension}={code}"))
            .collect();
        fields.push(("disaggregation", pairs.join(";")));
        let nature = match (nature, status) {
            (Some(code), _) => NATURES.iter().find(|(_, c)| *c == code).map(|(name, _)| *name).ok_or(("NATURE", code)),
            (None, Some("A")) => Ok("reported"),
            (None, Some("E" | "I")) => Ok("estimated"),
            (None, Some(other)) => Err(("OBS_STATUS", other)),
            (None, None) => Ok(""),
        };
        // Without either column, the line leaves the nature out (the stored one stays).
        let sends_nature = self.roles.iter().any(|role| matches!(role, Role::Attribute(0 | 1)));
        match nature {
            Ok(name) if sends_nature => fields.push(("nature", name.to_string())),
            Ok(_) => {}
            Err((column, code)) => fail(column, "invalid_nature", format!("`{code}` is not a code of CL_{column}")),
        }
        (fields, errors)
    }
}

fn text(row: &RawRow, field: &str) -> Option<String> {
    match row.fields.get(field) {
        Some(RawValue::Text(text)) => Some(text.clone()),
        _ => None,
    }
}

/// Checks what only the catalogue and the agency can tell: the dataflow each line names
/// (`flow`, e.g. `C2030:CONNECT2030(1.0)`) and the unit of its indicator; writes yes/no values
/// (1 and 0 in SDMX) as the service reads them. Removes the SDMX-only fields.
pub fn resolve(rows: &mut [RawRow], catalogue: &Catalogue, flow: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for row in rows {
        let named = text(row, FLOW_FIELD);
        if named.as_deref() != Some(flow) {
            let named = named.unwrap_or_default();
            errors.push(FieldError::row(row.index, "DATAFLOW", "unknown_dataflow", format!("`{named}` is not {flow}")));
        }
        let unit = text(row, UNIT_FIELD);
        row.fields.remove(FLOW_FIELD);
        row.fields.remove(UNIT_FIELD);
        let Some(indicator) = text(row, "indicator").and_then(|code| catalogue.indicator(&code)) else { continue };
        if let Some(unit) = unit.filter(|u| u != unit_code(indicator.unit)) {
            let detail = format!("`{unit}`: {} is in {}", indicator.code, unit_code(indicator.unit));
            errors.push(FieldError::row(row.index, "UNIT_MEASURE", "invalid_unit", detail));
        }
        let number = text(row, "value").and_then(|v| v.trim().parse::<f64>().ok());
        if indicator.unit == Unit::Boolean {
            if let Some(answer) = number.and_then(|n| [(1.0, "yes"), (0.0, "no")].into_iter().find(|(v, _)| *v == n)) {
                row.fields.insert("value", RawValue::Text(answer.1.into()));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Aggregation, Direction, Disaggregation, Indicator};

    fn catalogue() -> Catalogue {
        let indicator = |code: &str, unit| Indicator {
            code: code.into(),
            name: code.into(),
            unit,
            min_value: None,
            max_value: None,
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::PopulationWeightedMean,
            disaggregations: vec![Disaggregation { dimension: "sex".into(), values: vec!["female".into()] }],
            note: None,
            first_year: 1960,
        };
        Catalogue {
            indicators: vec![indicator("internet", Unit::Percent), indicator("netp", Unit::Boolean)],
            ..Default::default()
        }
    }

    const FLOW: &str = "C2030:CONNECT2030(1.0)";

    fn rows(columns: &Columns, lines: &[&[&str]]) -> (Vec<RawRow>, Vec<FieldError>) {
        let mut all = Vec::new();
        let mut errors = Vec::new();
        for (n, cells) in lines.iter().enumerate() {
            let (fields, mut problems) = columns.fields(n + 2, cells);
            errors.append(&mut problems);
            let fields =
                fields.into_iter().filter(|(_, v)| !v.is_empty()).map(|(f, v)| (f.to_string(), RawValue::Text(v)));
            all.push(RawRow { index: n + 2, fields: fields.collect() });
        }
        (all, errors)
    }

    fn get(row: &RawRow, name: &str) -> Option<String> {
        text(row, name)
    }

    #[test]
    fn lines_become_the_service_fields() {
        let header = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA: Area,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,NATURE,SOURCE_DETAIL";
        let columns = Columns::read(CsvVersion::V2, &header.split(',').collect::<Vec<_>>()).unwrap();
        let female =
            ["dataflow", FLOW, "I", "A", "KEN", "internet", "female", "_T", "2021", "35.2", "percent", "A", "E", "NSO"];
        let yes = ["dataflow", FLOW, "I", "A", "KEN", "netp", "_T", "_T", "2021", "1", "", "A", "", ""];
        let (mut found, errors) = rows(&columns, &[&female, &yes]);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(resolve(&mut found, &catalogue(), FLOW).is_empty());
        assert_eq!(get(&found[0], "country").as_deref(), Some("KEN"));
        assert_eq!(get(&found[0], "disaggregation").as_deref(), Some("sex=female"));
        assert_eq!(get(&found[0], "nature").as_deref(), Some("estimated"), "NATURE wins over OBS_STATUS");
        assert_eq!(get(&found[0], "source").as_deref(), Some("NSO"));
        assert!(!found[0].fields.contains_key(FLOW_FIELD) && !found[0].fields.contains_key(UNIT_FIELD));
        assert_eq!(get(&found[1], "value").as_deref(), Some("yes"));
        assert_eq!(get(&found[1], "nature").as_deref(), Some("reported"));
    }

    #[test]
    fn sdmx_only_problems_name_line_and_column() {
        let header =
            ["DATAFLOW", "FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "NATURE"];
        let columns = Columns::read(CsvVersion::V1, &header).unwrap();
        let cells = ["ESTAT:OTHER(1.0)", "Q", "KEN", "internet", "2021", "3", "kg", "X"];
        let (mut found, mut errors) = rows(&columns, &[&cells]);
        errors.extend(resolve(&mut found, &catalogue(), FLOW));
        let found: Vec<_> = errors.iter().map(|e| (e.index, e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            found,
            [
                (Some(2), "FREQ", "invalid_frequency"),
                (Some(2), "NATURE", "invalid_nature"),
                (Some(2), "DATAFLOW", "unknown_dataflow"),
                (Some(2), "UNIT_MEASURE", "invalid_unit")
            ]
        );
        let bad = Columns::read(CsvVersion::V1, &["DATAFLOW", "REF_AREA", "COLOUR", "REF_AREA"]).unwrap_err();
        let codes: Vec<_> = bad.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["unknown_column", "duplicate_column", "missing_column", "missing_column", "missing_column"]);
        assert_eq!(column_of("country"), "REF_AREA");
    }
}
