//! Initiatives member states share: strategies, policies, case studies, good practices and
//! lessons learned, linked to targets.

use super::catalogue::Catalogue;
use super::validation::{is_http_url, required_text, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What kind of experience is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeKind {
    /// A programme or project.
    Initiative,
    /// A national strategy.
    Strategy,
    /// A policy or regulation.
    Policy,
    /// A case study.
    CaseStudy,
    /// A good practice.
    GoodPractice,
    /// A lesson learned.
    LessonLearned,
}

impl InitiativeKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initiative => "initiative",
            Self::Strategy => "strategy",
            Self::Policy => "policy",
            Self::CaseStudy => "case_study",
            Self::GoodPractice => "good_practice",
            Self::LessonLearned => "lesson_learned",
        }
    }
}

/// An initiative as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "country": "KEN", "kind": "strategy", "title": "Kenya National Digital Master Plan 2022-2032",
    "summary": "Infrastructure, e-government, digital skills and innovation pillars.",
    "url": "https://example.org/digital-master-plan.pdf", "targets": ["1.4", "1.7"], "year": 2022}))]
pub struct InitiativeInput {
    /// ISO alpha-3 of the member state (a reporter may name only its own).
    pub country: String,
    /// Kind.
    pub kind: InitiativeKind,
    /// Title: trimmed of the white space around it (Unicode `White_Space`), then 1 to 300
    /// characters, without NUL.
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    /// Summary: trimmed like the title, then 1 to 5000 characters, without NUL.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub summary: String,
    /// Link (http or https): trimmed, then at most 2048 bytes of UTF-8, without white space
    /// or control characters (a blank link is refused; leave the field out instead).
    #[schema(max_length = 2048, pattern = "^https?://[^\\s]+$")]
    pub url: Option<String>,
    /// Target ids it contributes to (at least one).
    pub targets: Vec<String>,
    /// Year it started, was adopted or is planned to start (1990 to 2100).
    #[schema(minimum = 1990, maximum = 2100)]
    #[serde(default, deserialize_with = "whole_year")]
    pub year: Option<i32>,
}

/// A checked initiative.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidInitiative {
    /// ISO alpha-3.
    pub country: String,
    /// Kind.
    pub kind: InitiativeKind,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Link.
    pub url: Option<String>,
    /// Canonical target ids.
    pub targets: Vec<String>,
    /// Year.
    pub year: Option<i32>,
}

/// First year an initiative may name.
pub const FIRST_YEAR: i32 = 1990;
/// Last year an initiative may name (planned ones included).
pub const LAST_YEAR: i32 = 2100;

/// A year sent as a JSON number, accepting `2022.0` as JSON Schema's `integer` does.
fn whole_year<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
    let value: Option<f64> = Deserialize::deserialize(deserializer)?;
    value
        .map(|v| {
            if v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX) {
                Ok(v as i32)
            } else {
                Err(serde::de::Error::custom(format!("{v} is not a whole year")))
            }
        })
        .transpose()
}

/// Checks an initiative.
pub fn validate(input: InitiativeInput, catalogue: &Catalogue) -> Result<ValidInitiative, Vec<FieldError>> {
    let mut errors = Vec::new();
    let country = catalogue.member_state(&input.country).map(|e| e.iso3.clone());
    if country.is_none() {
        let detail = format!("`{}` is not an ITU member state", clip(&input.country));
        errors.push(FieldError::request("country", "unknown_country", detail));
    }
    let mut required = |field: &str, raw: &str, max: usize| {
        required_text(field, raw, max).unwrap_or_else(|error| {
            errors.push(error);
            String::new()
        })
    };
    let title = required("title", &input.title, 300);
    let summary = required("summary", &input.summary, 5000);
    let mut fail = |field: &str, code: &str, detail: String| errors.push(FieldError::request(field, code, detail));
    let url = input.url.map(|u| u.trim().to_string());
    if let Some(url) = &url {
        if !is_http_url(url) || url.len() > 2048 {
            let detail = "an http(s) URL of at most 2048 bytes (UTF-8) without spaces or control characters";
            fail("url", "invalid_url", detail.into());
        }
    }
    let mut targets = Vec::new();
    for id in &input.targets {
        match catalogue.target(id) {
            Some(target) if !targets.contains(&target.id) => targets.push(target.id.clone()),
            Some(_) => {}
            None => fail("targets", "unknown_target", format!("no target `{}`", clip(id))),
        }
    }
    if input.targets.is_empty() {
        fail("targets", "required", "name at least one target".into());
    }
    if let Some(year) = input.year {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            fail("year", "out_of_range", format!("year {year} is outside {FIRST_YEAR}..={LAST_YEAR}"));
        }
    }
    match country {
        Some(country) if errors.is_empty() => {
            Ok(ValidInitiative { country, kind: input.kind, title, summary, url, targets, year: input.year })
        }
        _ => Err(errors),
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}
