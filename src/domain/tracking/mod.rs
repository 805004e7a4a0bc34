//! Tracking progress: from stored values to each target's progress for the world, each
//! group and each country. Pure: the caller supplies the catalogue and the values.

mod assess;
mod dataset;
mod explain;
mod measure;

pub use assess::{
    country_progress, default_min_reported, group_progress, indicator_series, Answer, CountryProgress, GroupProgress,
    Inputs, Options, DEFAULT_MIN_COVERAGE, DEFAULT_MIN_REPORTED, FIRST_YEAR, PARITY_BAND,
};
pub use dataset::DataSet;
pub use explain::{explain, Contribution, Explanation};
pub use measure::{series_kind, weight, MeasureSpec, Point};

use super::catalogue::{Measure, Target};

/// Group kinds shown beside a target's own group.
const BREAKDOWN_KINDS: [&str; 5] = ["world", "itu_region", "development", "un_category", "income"];

/// A target's progress over its own group (the overview's line).
pub fn headline(inputs: Inputs, target: &Target, with_series: bool) -> Option<GroupProgress> {
    let spec = MeasureSpec::of_target(target, inputs.catalogue)?;
    let group = inputs.catalogue.group(&target.rule.group)?;
    Some(group_progress(inputs, target, &spec, group, with_series))
}

/// Everything about one target: its group, the other groups, each indicator of an `each`
/// target, and every country of its group.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TargetBreakdown {
    /// The target's own group, with its series.
    pub headline: GroupProgress,
    /// Other groups (world, ITU regions, development status, LDC/LLDC/SIDS, income groups).
    pub groups: Vec<GroupProgress>,
    /// For targets assessed indicator by indicator (1.3): each indicator's headline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentProgress>,
    /// Every country of the target's group in the assessment year.
    pub countries: Vec<CountryProgress>,
}

/// One indicator of a target assessed indicator by indicator.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ComponentProgress {
    /// Indicator code.
    pub indicator: String,
    /// Its progress over the target's group.
    pub progress: GroupProgress,
}

/// Builds a target's breakdown.
pub fn breakdown(inputs: Inputs, target: &Target) -> Option<TargetBreakdown> {
    let catalogue = inputs.catalogue;
    let spec = MeasureSpec::of_target(target, catalogue)?;
    let own = catalogue.group(&target.rule.group)?;
    let headline = group_progress(inputs, target, &spec, own, true);
    let groups = catalogue
        .groups
        .iter()
        .filter(|g| BREAKDOWN_KINDS.contains(&g.kind.as_str()) && g.code != own.code)
        .map(|g| group_progress(inputs, target, &spec, g, true))
        .collect();
    let components = match target.rule.measure {
        Measure::Each => target
            .indicators
            .iter()
            .filter_map(|code| {
                let spec = MeasureSpec::of_indicator(code, catalogue)?;
                Some(ComponentProgress {
                    indicator: code.clone(),
                    progress: group_progress(inputs, target, &spec, own, true),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let countries = own
        .members
        .iter()
        .filter(|m| m.is_active_in_year(inputs.options.as_of_year))
        .map(|m| country_progress(inputs, target, &spec, &m.iso3, false))
        .collect();
    Some(TargetBreakdown { headline, groups, components, countries })
}

#[cfg(test)]
mod tests;
