//! Which countries one aggregate rests on, with each value, how it was obtained and its
//! weight, so anyone can recompute the aggregate by hand.

use super::assess::{flagged_point, Inputs};
use super::measure::{members_in_year, weight, MeasureSpec, Point};
use crate::domain::catalogue::{Aggregation, Group};
use crate::domain::estimation::Basis;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// One member country's part in an aggregate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contribution {
    /// ISO alpha-3.
    pub country: String,
    /// Common name.
    pub name: String,
    /// The value that entered the aggregate (none: missing).
    pub value: Option<f64>,
    /// How the value was obtained.
    pub basis: Basis,
    /// The reported years the value rests on (the year itself when reported).
    pub source_years: Vec<i32>,
    /// Weight in the aggregate: the population for a weighted mean (none for sums and
    /// shares of countries, where each country counts once).
    pub weight: Option<f64>,
    /// The population used as weight.
    pub population: Option<f64>,
    /// Year of that population figure (the year itself, or up to five years earlier).
    pub population_year: Option<i32>,
    /// Member of the group on 1 July of the year: first day of membership (none: since
    /// before the data period).
    pub member_from: Option<NaiveDate>,
    /// First day no longer a member (none: still a member).
    pub member_to: Option<NaiveDate>,
}

/// An aggregate and every member country behind it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Explanation {
    /// How the values combine: `population_weighted_mean` is Σ value·weight / Σ weight over
    /// members with both; `sum` is Σ value; `share_of_countries` is 100 · yes / members.
    pub aggregation: Aggregation,
    /// The aggregate with its coverage, exactly as in the series.
    pub point: Point,
    /// Every member of the group in the year.
    pub members: Vec<Contribution>,
}

/// Explains a group's aggregate of a measure in one year.
pub fn explain(inputs: Inputs, spec: &MeasureSpec, group: &Group, year: i32) -> Explanation {
    let catalogue = inputs.catalogue;
    let estimation = &inputs.options.estimation;
    let codes = members_in_year(group, None, year);
    let resolved = spec.resolve(inputs.data);
    let weighted = spec.aggregation == Aggregation::PopulationWeightedMean;
    let members = codes
        .iter()
        .map(|&country| {
            let found = resolved.country_value(country, year, estimation);
            let population = weight(catalogue, country, year);
            let membership = group.members.iter().find(|m| m.iso3 == country && m.is_active_in_year(year));
            let source_years = found.map_or_else(Vec::new, |e| {
                let used: BTreeSet<i32> = spec
                    .indicators
                    .iter()
                    .filter_map(|i| inputs.data.country(i, &spec.disaggregation, country))
                    .flat_map(|years| years.range(e.from..=e.to).map(|(y, _)| *y))
                    .collect();
                used.into_iter().collect()
            });
            Contribution {
                country: country.to_string(),
                name: catalogue.economy(country).map(|e| e.short_name.clone()).unwrap_or_default(),
                value: found.map(|e| e.value),
                basis: found.map_or(Basis::Missing, |e| e.basis),
                source_years,
                weight: population.map(|(_, p)| p).filter(|_| weighted),
                population: population.map(|(_, p)| p),
                population_year: population.map(|(y, _)| y),
                member_from: membership.and_then(|m| m.valid_from),
                member_to: membership.and_then(|m| m.valid_to),
            }
        })
        .collect();
    Explanation { aggregation: spec.aggregation, point: flagged_point(inputs, spec, &codes, year), members }
}
