//! What a submission does to each row: created, revised or unchanged, decided against the
//! current values, and the report that says so. A row sets the value and the attributes it
//! sends; an attribute it leaves out keeps the stored one, and the new revision records the
//! whole resulting state.

use super::observation::{Nature, ObservedValue, SeriesKey, ValidObservation};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// The current revision of a stored value.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentValue {
    /// Observation id.
    pub observation_id: i64,
    /// Current revision id.
    pub revision_id: i64,
    /// Its number within the observation (1, 2, …).
    pub number: i32,
    /// The value; none when withdrawn.
    pub value: Option<ObservedValue>,
    /// Whether the current revision is a withdrawal.
    pub withdrawn: bool,
    /// Attributes of the current revision.
    pub source: Option<String>,
    /// How it was obtained.
    pub nature: Nature,
    /// Free remark.
    pub note: Option<String>,
    /// Evidence link.
    pub evidence_url: Option<String>,
}

impl CurrentValue {
    /// The state its current revision records.
    pub fn state(&self) -> State<'_> {
        State {
            value: self.value,
            withdrawn: self.withdrawn,
            source: self.source.as_deref(),
            nature: self.nature,
            note: self.note.as_deref(),
            evidence_url: self.evidence_url.as_deref(),
        }
    }
}

/// A value as one revision records it: the value (none when withdrawn) and its attributes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct State<'a> {
    /// The value; none when withdrawn.
    pub value: Option<ObservedValue>,
    /// Whether it is a withdrawal.
    pub withdrawn: bool,
    /// Where the value comes from.
    pub source: Option<&'a str>,
    /// How it was obtained.
    pub nature: Nature,
    /// Free remark.
    pub note: Option<&'a str>,
    /// Evidence link.
    pub evidence_url: Option<&'a str>,
}

impl<'a> State<'a> {
    /// The state a row gives its value: the value and attributes it sends, and for each
    /// attribute it leaves out the stored one (nothing stored: none, or `reported`).
    pub fn of_row(row: &'a ValidObservation, stored: Option<&State<'a>>) -> Self {
        let kept = |sent: &'a Option<Option<String>>, stored: Option<&'a str>| match sent {
            Some(sent) => sent.as_deref(),
            None => stored,
        };
        Self {
            value: Some(row.value),
            withdrawn: false,
            source: kept(&row.source, stored.and_then(|s| s.source)),
            nature: row.nature.or(stored.map(|s| s.nature)).unwrap_or_default(),
            note: kept(&row.note, stored.and_then(|s| s.note)),
            evidence_url: kept(&row.evidence_url, stored.and_then(|s| s.evidence_url)),
        }
    }

    /// The fields, by their names in a submission, that differ from an earlier state (`value`
    /// also when one of them is a withdrawal).
    pub fn changes_from(&self, earlier: &State<'_>) -> Vec<&'static str> {
        [
            ("value", self.value != earlier.value || self.withdrawn != earlier.withdrawn),
            ("source", self.source != earlier.source),
            ("nature", self.nature != earlier.nature),
            ("note", self.note != earlier.note),
            ("evidence_url", self.evidence_url != earlier.evidence_url),
        ]
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect()
    }
}

/// What happened (or, in a dry run, would happen) to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new value.
    Created,
    /// A new revision of an existing value (or of a withdrawn one).
    Revised,
    /// Identical to the current value and attributes (those the row leaves out being kept):
    /// nothing written.
    Unchanged,
}

/// A row's planned fate.
#[derive(Debug, Clone)]
pub struct PlannedRow<'a> {
    /// The row.
    pub row: &'a ValidObservation,
    /// Its outcome.
    pub outcome: Outcome,
    /// The current value it replaces or matches.
    pub current: Option<&'a CurrentValue>,
    /// The state its revision records (for an unchanged row, the current one).
    pub state: State<'a>,
    /// The fields that differ from the current value (none for a created row).
    pub changed: Vec<&'static str>,
}

/// Decides each row's outcome. Pure: the caller supplies the current values.
pub fn plan<'a>(rows: &'a [ValidObservation], current: &'a HashMap<SeriesKey, CurrentValue>) -> Vec<PlannedRow<'a>> {
    rows.iter()
        .map(|row| {
            let existing = current.get(&row.key());
            let stored = existing.map(CurrentValue::state);
            let state = State::of_row(row, stored.as_ref());
            let changed = stored.map(|stored| state.changes_from(&stored)).unwrap_or_default();
            let outcome = match existing {
                None => Outcome::Created,
                Some(_) if changed.is_empty() => Outcome::Unchanged,
                Some(_) => Outcome::Revised,
            };
            PlannedRow { row, outcome, current: existing, state, changed }
        })
        .collect()
}

/// Counts of a submission's outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Counts {
    /// New values.
    pub created: usize,
    /// New revisions of existing values.
    pub revised: usize,
    /// Rows identical to what was stored.
    pub unchanged: usize,
    /// Rows rejected (always 0 in a report: one bad row rejects the whole batch with 422).
    pub rejected: usize,
}

/// Rows a submission's answer lists at most; the counts cover every row, and
/// `GET /api/v1/submissions/{id}` lists them all.
pub const LISTED_ROWS: usize = 1000;

/// One row of a submission report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowReport {
    /// Index in the request (JSON array index, CSV line number).
    pub index: usize,
    /// What happened.
    pub outcome: Outcome,
    /// The stored value's id (none for a row a dry run would create).
    pub observation_id: Option<i64>,
    /// The new revision's id (none when unchanged, and in a dry run).
    pub revision_id: Option<i64>,
    /// ISO alpha-3.
    pub country: String,
    /// Indicator code.
    pub indicator: String,
    /// Year.
    pub year: i32,
    /// Breakdown as in the request and in listings (`{"sex": "female"}`), empty for the total.
    pub disaggregation: BTreeMap<String, String>,
    /// The value sent.
    pub value: ObservedValue,
    /// The value it replaced, when revised (none if the previous revision was a withdrawal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_value: Option<ObservedValue>,
    /// The revision it replaced, when revised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_revision_id: Option<i64>,
    /// When revised, the fields whose stored value changed (`value`, `source`, `nature`,
    /// `note`, `evidence_url`); a field the row left out kept its stored value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>, example = json!(["source"]))]
    pub changed: Vec<&'static str>,
}

/// What a submission stores of one row, in request order: only what its revisions do not say.
/// The row's report is read back from the revision named here (the new one, or for an unchanged
/// row the one it matched) and that revision's predecessor. Stored as a JSON array
/// `[index, observation_id, revision_id, outcome]`, a tenth of the row's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRow(pub usize, pub i64, pub i64, pub Outcome);

/// The answer to a submission: what happened to every row.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "submission_id": 42, "dry_run": false, "data_version": 7,
    "counts": {"created": 1, "revised": 1, "unchanged": 0, "rejected": 0},
    "rows_truncated": false,
    "rows": [
        {"index": 0, "outcome": "created", "observation_id": 10, "revision_id": 31, "country": "KEN",
         "indicator": "individuals_internet_pct", "year": 2023, "disaggregation": {}, "value": 40.8},
        {"index": 1, "outcome": "revised", "observation_id": 9, "revision_id": 32, "country": "KEN",
         "indicator": "netp", "year": 2022, "disaggregation": {}, "value": "yes",
         "previous_value": "no", "previous_revision_id": 12, "changed": ["value"]}
    ]}))]
pub struct SubmissionReport {
    /// The stored submission (none in a dry run).
    pub submission_id: Option<i64>,
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Data version after the submission (in a dry run: the version it would produce).
    pub data_version: i64,
    /// Outcome counts, of every row.
    pub counts: Counts,
    /// Whether `rows` lists only the first 1,000 rows of a bigger batch; then
    /// `GET /api/v1/submissions/{submission_id}` lists every row.
    pub rows_truncated: bool,
    /// Each row's outcome, in request order: every row, or the first 1,000 of a bigger batch
    /// when it is the answer to the submission.
    pub rows: Vec<RowReport>,
}

/// Counts the outcomes of a plan.
pub fn count(planned: &[PlannedRow<'_>]) -> Counts {
    let mut counts = Counts::default();
    for row in planned {
        match row.outcome {
            Outcome::Created => counts.created += 1,
            Outcome::Revised => counts.revised += 1,
            Outcome::Unchanged => counts.unchanged += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: f64, note: Option<&str>) -> ValidObservation {
        ValidObservation {
            index: 0,
            country: "KEN".into(),
            indicator: "internet_pct".into(),
            year: 2020,
            disaggregation: String::new(),
            value: ObservedValue::Number(value),
            source: None,
            nature: None,
            note: Some(note.map(str::to_string)),
            evidence_url: None,
        }
    }

    fn current(value: Option<f64>, withdrawn: bool) -> CurrentValue {
        CurrentValue {
            observation_id: 1,
            revision_id: 5,
            number: 2,
            value: value.map(ObservedValue::Number),
            withdrawn,
            source: None,
            nature: Nature::Reported,
            note: None,
            evidence_url: None,
        }
    }

    #[test]
    fn outcomes_compare_value_and_attributes_with_the_current_revision() {
        let rows = vec![row(10.0, None)];
        let outcome = |state: Option<CurrentValue>, rows: &[ValidObservation]| {
            let map: HashMap<_, _> = state.into_iter().map(|c| (rows[0].key(), c)).collect();
            plan(rows, &map)[0].outcome
        };
        assert_eq!(outcome(None, &rows), Outcome::Created);
        assert_eq!(outcome(Some(current(Some(10.0), false)), &rows), Outcome::Unchanged);
        assert_eq!(outcome(Some(current(Some(11.0), false)), &rows), Outcome::Revised);
        assert_eq!(outcome(Some(current(None, true)), &rows), Outcome::Revised, "a withdrawn value comes back");
        assert_eq!(outcome(Some(current(Some(10.0), false)), &[row(10.0, Some("new note"))]), Outcome::Revised);
    }

    #[test]
    fn attributes_left_out_are_kept_and_cleared_ones_are_changes() {
        let mut stored = current(Some(10.0), false);
        stored.source = Some("NSO".into());
        stored.nature = Nature::Estimated;
        stored.note = Some("old".into());
        let mut sent = row(10.0, None);
        sent.note = None;
        let rows = [sent];
        let map: HashMap<_, _> = [(rows[0].key(), stored)].into_iter().collect();
        let planned = &plan(&rows, &map)[0];
        assert_eq!(planned.outcome, Outcome::Unchanged, "nothing sent differs: {:?}", planned.changed);
        assert_eq!(
            (planned.state.source, planned.state.nature, planned.state.note),
            (Some("NSO"), Nature::Estimated, Some("old"))
        );

        let mut cleared = rows[0].clone();
        cleared.source = Some(None);
        cleared.nature = Some(Nature::Reported);
        let rows = [cleared];
        let planned = &plan(&rows, &map)[0];
        assert_eq!(planned.outcome, Outcome::Revised);
        assert_eq!(planned.changed, ["source", "nature"]);
        assert_eq!(
            (planned.state.source, planned.state.note),
            (None, Some("old")),
            "the revision records the whole state"
        );

        let map: HashMap<_, _> = [(rows[0].key(), current(None, true))].into_iter().collect();
        assert_eq!(plan(&rows, &map)[0].changed, ["value"], "a withdrawn value comes back");
    }

    #[test]
    fn a_stored_row_is_a_short_array() {
        let stored = StoredRow(3, 10, 31, Outcome::Revised);
        let json = serde_json::to_string(&stored).unwrap();
        assert_eq!(json, r#"[3,10,31,"revised"]"#);
        assert_eq!(serde_json::from_str::<StoredRow>(&json).unwrap(), stored);
    }
}
