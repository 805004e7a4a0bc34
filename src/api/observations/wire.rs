//! The documented wire format of a submission. Parsing reads rows field by field
//! (`input::parse` into `RawRow`) so that every field's problem is reported on its own; these
//! types are what the OpenAPI shows, and a test holds their fields equal to the parser's
//! `FIELDS`.

use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One observation in a JSON submission (CSV uses the same names as header columns, with
/// `disaggregation` written `sex=female`). Every text (codes, `source`, `note`, `nature`,
/// `evidence_url`, the breakdown's names and values, and numbers sent as text) is read
/// without the white space around it (Unicode `White_Space`: spaces, tabs, line breaks,
/// no-break spaces); a text that is blank once trimmed counts as empty, and lengths count
/// the characters that remain. A NUL character is refused (`invalid_character`); other
/// control characters inside a text are stored as sent.
/// Of the optional attributes (`source`, `nature`, `note`, `evidence_url`), one left out (no
/// member; in CSV, no column) keeps the stored value, one sent `null` or `""` (in CSV, an empty
/// cell) is cleared.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationInput {
    /// ISO 3166 alpha-3 code of the economy.
    #[schema(example = "KEN")]
    pub country: String,
    /// Indicator code.
    #[schema(example = "individuals_internet_pct")]
    pub indicator: String,
    /// Year the value describes, from the indicator's `first_year` (1960 unless the catalogue
    /// says otherwise, see `GET /api/v1/indicators`) to the current year.
    #[schema(example = 2023)]
    pub year: i32,
    /// A number within the indicator's valid range, or `yes`/`no` (also `true`/`false`) for
    /// yes/no indicators.
    pub value: InputValue,
    /// Breakdown allowed by the indicator, e.g. `{"sex": "female"}`; absent for the total.
    pub disaggregation: Option<BTreeMap<String, String>>,
    /// Where the value comes from: at most 500 characters once trimmed. SDMX-ML answers
    /// (`SOURCE_DETAIL`) write each character XML 1.0 cannot carry (U+0001–U+001F but tab,
    /// line feed and carriage return, which are written as `&#9;`, `&#10;`, `&#13;`; U+FFFE,
    /// U+FFFF) as U+FFFD; JSON answers give the text as stored,
    /// CSV ones too (but for the `'` before a cell a spreadsheet would read as a formula).
    /// Left out: the stored one stays; `null` or `""`: cleared.
    pub source: Option<String>,
    /// `reported`, `estimated` or `modelled`. Left out: the stored one stays (`reported` for a
    /// new value); `null` or `""`: `reported`.
    pub nature: Option<String>,
    /// Free remark: at most 2000 characters once trimmed. In SDMX-ML (`COMMENT_OBS`), characters
    /// XML 1.0 cannot carry become U+FFFD, as for `source`.
    /// Left out: the stored one stays; `null` or `""`: cleared.
    pub note: Option<String>,
    /// For yes/no indicators: link to the strategy, plan or law (http or https, no white space
    /// or control character inside, at most 2048 characters once trimmed).
    /// Left out: the stored one stays; `null` or `""`: cleared.
    pub evidence_url: Option<String>,
}

/// A value as sent: a number, `yes`/`no`, or a JSON boolean for yes/no indicators.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum InputValue {
    /// A number in the indicator's unit.
    Number(f64),
    /// `yes` or `no`.
    YesNo(crate::domain::observation::YesNo),
    /// `true` (yes) or `false` (no).
    Bool(bool),
}

/// A JSON submission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"observations": [
    {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2023, "value": 40.8,
     "source": "KNBS", "nature": "reported"},
    {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2023, "value": 35.2,
     "disaggregation": {"sex": "female"}},
    {"country": "KEN", "indicator": "netp", "year": 2022, "value": "yes",
     "evidence_url": "https://example.org/kenya-netp.pdf"}]}))]
pub struct SubmissionBody {
    /// The rows (1 to 100,000).
    #[schema(min_items = 1, max_items = 100000)]
    pub observations: Vec<ObservationInput>,
}
