//! The Connect 2030 catalogue as typed, in-memory data: goals, targets and their rules,
//! indicators, economies, groups with dated membership, population.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;
use utoipa::ToSchema;

pub use super::progress::Direction;

/// The unit of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Percentage.
    Percent,
    /// Per 100 inhabitants.
    #[serde(rename = "per_100")]
    Per100,
    /// A count.
    Count,
    /// Kilograms.
    Kg,
    /// Megatonnes of CO2 equivalent.
    MtCo2e,
    /// A ratio.
    Ratio,
    /// Yes or no.
    Boolean,
}

/// How country values of an indicator are combined into a group aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Mean weighted by population of the year.
    PopulationWeightedMean,
    /// Plain sum (counts).
    Sum,
    /// Share of the group's countries answering yes.
    ShareOfCountries,
}

/// The kind of rule a target sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A group aggregate reaches (or stays under) a value.
    Level,
    /// Change relative to the baseline year.
    RelativeChange,
    /// The developing–developed gap shrinks by a share.
    GapReduction,
    /// Female/male ratio within a band around 1.
    Parity,
    /// Share of member states answering yes.
    ShareOfCountries,
    /// A count above its baseline.
    CountIncrease,
}

/// How a target combines the values of its indicators for one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The one indicator's value.
    Single,
    /// The sum of the indicators' values (1.5: fixed + mobile broadband per 100).
    Sum,
    /// The first indicator over the second, in percent (3.2: e-waste recycled / generated);
    /// a group's ratio is the sum of numerators over the sum of denominators.
    Ratio,
    /// Yes only when every yes/no indicator is yes (3.1: strategy, CIRT and legislation).
    AllYes,
    /// Each indicator assessed on its own; the first is the headline (1.3: mobile and
    /// fixed broadband prices).
    Each,
}

/// One dimension an indicator may be broken down by, with its allowed values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Disaggregation {
    /// e.g. `sex`.
    pub dimension: String,
    /// e.g. `["female", "male"]`.
    pub values: Vec<String>,
}

impl Disaggregation {
    /// Parses the catalogue's compact form `sex:female|male;area:urban|rural`.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        text.split(';')
            .filter(|part| !part.trim().is_empty())
            .map(|part| {
                let (dimension, values) =
                    part.split_once(':').ok_or_else(|| format!("disaggregation `{part}` lacks `:`"))?;
                Ok(Self {
                    dimension: dimension.trim().to_string(),
                    values: values.split('|').map(|v| v.trim().to_string()).collect(),
                })
            })
            .collect()
    }
}

/// An indicator: what is measured, in which unit, within which range.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Indicator {
    /// Stable code, e.g. `individuals_internet_pct`.
    pub code: String,
    /// Name in English.
    pub name: String,
    /// Unit of the values.
    pub unit: Unit,
    /// Smallest valid value (none for yes/no indicators or unbounded ones).
    pub min_value: Option<f64>,
    /// Largest valid value.
    pub max_value: Option<f64>,
    /// Whether higher or lower is progress.
    pub direction: Direction,
    /// How it is aggregated over a group.
    pub aggregation: Aggregation,
    /// Allowed breakdowns.
    pub disaggregations: Vec<Disaggregation>,
    /// Remarks on the definition.
    pub note: Option<String>,
    /// The first year its values may describe.
    pub first_year: i32,
}

/// A target's rule, as data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rule {
    /// The rule kind.
    pub kind: RuleKind,
    /// The threshold (a level, a percentage change, a share); none for `count_increase`.
    pub target_value: Option<f64>,
    /// How the value is compared with the threshold: `>=`, `<=`, `>` or `within_0.02`.
    pub comparator: String,
    /// Whether higher or lower is progress.
    pub direction: Direction,
    /// The group the rule is evaluated on.
    pub group: String,
    /// The second group of a `gap_reduction` rule.
    pub comparison_group: Option<String>,
    /// Deadline (2023 for every target of the agenda).
    pub deadline_year: i32,
    /// Baseline year, when the target names one.
    pub baseline_year: Option<i32>,
    /// How the indicators combine into one value per country.
    pub measure: Measure,
}

/// A text in English and Chinese.
#[derive(Debug, Clone)]
pub struct Localized {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// One of the 5 strategic goals.
#[derive(Debug, Clone)]
pub struct Goal {
    /// 1..5.
    pub id: i32,
    /// Short name.
    pub name: Localized,
    /// The goal's statement.
    pub statement: Localized,
}

/// One of the 24 targets.
#[derive(Debug, Clone)]
pub struct Target {
    /// e.g. `2.1.A`.
    pub id: String,
    /// The goal it belongs to.
    pub goal: i32,
    /// Order within its goal.
    pub position: i32,
    /// What the target says.
    pub text: Localized,
    /// The rule that decides whether it is met.
    pub rule: Rule,
    /// Indicator codes the rule reads.
    pub indicators: Vec<String>,
    /// Where the wording comes from.
    pub source: String,
    /// Whether the wording was checked against the resolution text.
    pub wording_verified: bool,
}

/// An economy (country or territory) with its ISO and M49 codes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Economy {
    /// ISO 3166 alpha-3.
    pub iso3: String,
    /// ISO 3166 alpha-2.
    pub iso2: Option<String>,
    /// UN M49 numeric code.
    pub m49: Option<String>,
    /// Official short name.
    pub name: String,
    /// Common name.
    pub short_name: String,
    /// UN M49 region.
    pub un_region: Option<String>,
    /// UN M49 sub-region.
    pub un_subregion: Option<String>,
    /// Sovereignty status as listed by ISO.
    pub status: Option<String>,
}

/// A country's membership of a group, with effective dates (`valid_to` exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Membership {
    /// ISO 3166 alpha-3 of the member.
    pub iso3: String,
    /// First day of membership; none means since before the data period.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer a member (e.g. LDC graduation); none means still a member.
    pub valid_to: Option<NaiveDate>,
}

impl Membership {
    /// Whether the membership holds on a date.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date < to)
    }

    /// Whether the country counts as a member for a statistical year: membership on 1 July,
    /// the reference date of mid-year population estimates.
    pub fn is_active_in_year(&self, year: i32) -> bool {
        NaiveDate::from_ymd_opt(year, 7, 1).is_some_and(|mid_year| self.is_active_on(mid_year))
    }
}

/// A country group: the world, ITU regions, development status, LDC/LLDC/SIDS, income groups.
#[derive(Debug, Clone)]
pub struct Group {
    /// e.g. `LDC`.
    pub code: String,
    /// Name in English.
    pub name: String,
    /// `world`, `membership`, `itu_region`, `development`, `un_category` or `income`.
    pub kind: String,
    /// What the group is.
    pub description: String,
    /// Where the membership list comes from.
    pub source: String,
    /// Members with their dates.
    pub members: Vec<Membership>,
}

/// The group of ITU member states.
pub const ITU_MEMBERS: &str = "ITU_MEMBERS";

/// The whole catalogue, loaded once from the database.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Goals in order.
    pub goals: Vec<Goal>,
    /// Targets in goal, then position order.
    pub targets: Vec<Target>,
    /// Indicators by code order.
    pub indicators: Vec<Indicator>,
    /// Economies by ISO code order.
    pub economies: Vec<Economy>,
    /// Groups in display order.
    pub groups: Vec<Group>,
    /// Population by ISO alpha-3, then year.
    pub population: HashMap<String, BTreeMap<i32, i64>>,
    /// Economies by upper-case ISO alpha-3, built on first use (the catalogue never changes
    /// once loaded; a batch looks countries up twice per row).
    pub(crate) economy_index: OnceLock<HashMap<String, usize>>,
    /// Indicators by code, built on first use.
    pub(crate) indicator_index: OnceLock<HashMap<String, usize>>,
}

impl Catalogue {
    /// A goal by number.
    pub fn goal(&self, id: i32) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    /// A target by id, case-insensitive (`2.1.a` finds `2.1.A`).
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id.eq_ignore_ascii_case(id.trim()))
    }

    /// An indicator by code.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        let index = self
            .indicator_index
            .get_or_init(|| self.indicators.iter().enumerate().map(|(n, i)| (i.code.clone(), n)).collect());
        index.get(code.trim()).map(|n| &self.indicators[*n])
    }

    /// An economy by ISO alpha-3, case-insensitive.
    pub fn economy(&self, iso3: &str) -> Option<&Economy> {
        let index = self
            .economy_index
            .get_or_init(|| self.economies.iter().enumerate().map(|(n, e)| (e.iso3.to_ascii_uppercase(), n)).collect());
        index.get(&iso3.trim().to_ascii_uppercase()).map(|n| &self.economies[*n])
    }

    /// A group by code, case-insensitive.
    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code.eq_ignore_ascii_case(code.trim()))
    }

    /// The groups a country belongs to on a date, in display order.
    pub fn groups_of(&self, iso3: &str, date: NaiveDate) -> impl Iterator<Item = &Group> {
        let iso3 = iso3.to_string();
        self.groups.iter().filter(move |g| g.members.iter().any(|m| m.iso3 == iso3 && m.is_active_on(date)))
    }

    /// The country's membership of a group, if it ever was a member.
    pub fn membership(&self, group: &str, iso3: &str) -> Option<&Membership> {
        self.group(group)?.members.iter().find(|m| m.iso3 == iso3)
    }

    /// An ITU member state (past or present) by ISO alpha-3: only these have reporters.
    pub fn member_state(&self, iso3: &str) -> Option<&Economy> {
        self.economy(iso3).filter(|e| self.membership(ITU_MEMBERS, &e.iso3).is_some())
    }

    /// Targets that belong to a goal.
    pub fn targets_of_goal(&self, goal: i32) -> impl Iterator<Item = &Target> {
        self.targets.iter().filter(move |t| t.goal == goal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn membership_dates_are_inclusive_from_and_exclusive_to() {
        let palau = Membership { iso3: "PLW".into(), valid_from: Some(date(2024, 9, 19)), valid_to: None };
        assert!(!palau.is_active_on(date(2024, 9, 18)));
        assert!(palau.is_active_on(date(2024, 9, 19)));
        assert!(!palau.is_active_in_year(2024), "joined after mid-year");
        assert!(palau.is_active_in_year(2025));
        let vanuatu = Membership { iso3: "VUT".into(), valid_from: None, valid_to: Some(date(2020, 12, 4)) };
        assert!(vanuatu.is_active_in_year(2020));
        assert!(!vanuatu.is_active_on(date(2020, 12, 4)));
        assert!(!vanuatu.is_active_in_year(2021));
    }

    #[test]
    fn disaggregations_parse_from_the_compact_form() {
        let parsed = Disaggregation::parse_list("sex:female|male;area:urban|rural").unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].dimension, "sex");
        assert_eq!(parsed[1].values, vec!["urban", "rural"]);
        assert!(Disaggregation::parse_list("").unwrap().is_empty());
        assert!(Disaggregation::parse_list("sex").is_err());
    }
}
