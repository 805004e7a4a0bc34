//! Series and observations of a data message: economies' stored values and groups'
//! aggregates, keyed by the dataflow's dimensions.

use super::key::KeyFilter;
use super::structure::{unit_code, NATURES};
use super::{ANNUAL, BREAKDOWNS, TOTAL};
use crate::domain::catalogue::{Catalogue, Indicator};
use crate::domain::tracking::Point;
use std::collections::BTreeMap;

/// One observation with its attributes (in [`super::OBS_ATTRIBUTES`] order).
#[derive(Debug, Clone, PartialEq)]
pub struct Obs {
    /// The year (`TIME_PERIOD`).
    pub year: i32,
    /// `OBS_VALUE` (yes/no indicators: 1 or 0).
    pub value: f64,
    /// `OBS_STATUS`, `NATURE`, `SOURCE_DETAIL`, `COMMENT_OBS`, `EVIDENCE_URL`.
    pub attributes: [Option<String>; 5],
}

/// A series: its key (in [`super::DIMENSIONS`] order), its unit and its observations by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// `FREQ`, `REF_AREA`, `INDICATOR`, `SEX`, `URBANISATION`.
    pub key: [String; 5],
    /// `UNIT_MEASURE`.
    pub unit: &'static str,
    /// Observations, oldest first.
    pub observations: Vec<Obs>,
}

impl Series {
    /// The key as string slices.
    pub fn key_values(&self) -> [&str; 5] {
        [&self.key[0], &self.key[1], &self.key[2], &self.key[3], &self.key[4]]
    }

    /// Keeps the first `first` and the last `last` observations (`firstNObservations`,
    /// `lastNObservations`; both together keep both ends).
    pub fn keep(&mut self, first: Option<usize>, last: Option<usize>) {
        if first.is_none() && last.is_none() {
            return;
        }
        let count = self.observations.len();
        let mut position = 0;
        self.observations.retain(|_| {
            let kept = first.is_some_and(|f| position < f) || last.is_some_and(|l| position + l >= count);
            position += 1;
            kept
        });
    }
}

/// One stored value of an economy (the HTTP side maps its records into these).
#[derive(Debug, Clone, Copy)]
pub struct CountryValue<'a> {
    /// ISO alpha-3.
    pub country: &'a str,
    /// Indicator code.
    pub indicator: &'a str,
    /// Year.
    pub year: i32,
    /// Canonical disaggregation (`area=urban;sex=female`, empty for the total).
    pub disaggregation: &'a str,
    /// Stored value.
    pub value: f64,
    /// `reported`, `estimated` or `modelled`.
    pub nature: &'a str,
    /// Source.
    pub source: Option<&'a str>,
    /// Remark.
    pub note: Option<&'a str>,
    /// Evidence (yes/no indicators).
    pub evidence_url: Option<&'a str>,
}

/// The `SEX` and `URBANISATION` codes of a canonical disaggregation; none when it breaks
/// down by a dimension the dataflow lacks.
pub fn breakdown_codes(disaggregation: &str) -> Option<[String; 2]> {
    let mut codes = [TOTAL.to_string(), TOTAL.to_string()];
    for pair in disaggregation.split(';').filter(|p| !p.is_empty()) {
        let (dimension, value) = pair.split_once('=')?;
        let slot = BREAKDOWNS.iter().position(|(_, d)| *d == dimension)?;
        codes[slot] = value.to_string();
    }
    Some(codes)
}

/// The canonical disaggregation of `SEX` and `URBANISATION` codes (the inverse of
/// [`breakdown_codes`]).
pub fn disaggregation_of(sex: &str, urbanisation: &str) -> String {
    let mut pairs: Vec<String> = BREAKDOWNS
        .iter()
        .zip([sex, urbanisation])
        .filter(|(_, code)| *code != TOTAL)
        .map(|((_, dimension), code)| format!("{dimension}={code}"))
        .collect();
    pairs.sort();
    pairs.join(";")
}

/// The breakdowns an indicator's values may have: the total, each allowed value, and each
/// pair of values of two dimensions.
pub fn breakdowns(indicator: &Indicator) -> Vec<String> {
    let sexes: Vec<&str> = allowed(indicator, "sex");
    let areas: Vec<&str> = allowed(indicator, "area");
    let mut all = Vec::new();
    for sex in &sexes {
        for area in &areas {
            all.push(disaggregation_of(sex, area));
        }
    }
    all
}

fn allowed<'a>(indicator: &'a Indicator, dimension: &str) -> Vec<&'a str> {
    let values = indicator.disaggregations.iter().filter(|d| d.dimension == dimension).flat_map(|d| &d.values);
    std::iter::once(TOTAL).chain(values.map(String::as_str)).collect()
}

fn nature_code(nature: &str) -> Option<&'static str> {
    NATURES.iter().find(|(name, _)| *name == nature).map(|(_, code)| *code)
}

/// Groups stored values into series (sorted by key), keeping those the key filter accepts.
pub fn country_series<'a>(
    values: impl IntoIterator<Item = CountryValue<'a>>,
    catalogue: &Catalogue,
    filter: &KeyFilter,
) -> Vec<Series> {
    let mut by_key: BTreeMap<[String; 5], Series> = BTreeMap::new();
    for v in values {
        let Some([sex, urbanisation]) = breakdown_codes(v.disaggregation) else { continue };
        let key = [ANNUAL.to_string(), v.country.to_string(), v.indicator.to_string(), sex, urbanisation];
        if !filter.accepts([&key[0], &key[1], &key[2], &key[3], &key[4]]) {
            continue;
        }
        let Some(indicator) = catalogue.indicator(v.indicator) else { continue };
        let status = if v.nature == "reported" { "A" } else { "E" };
        let obs = Obs {
            year: v.year,
            value: v.value,
            attributes: [
                Some(status.to_string()),
                nature_code(v.nature).map(str::to_string),
                v.source.map(str::to_string),
                v.note.map(str::to_string),
                v.evidence_url.map(str::to_string),
            ],
        };
        by_key
            .entry(key.clone())
            .or_insert_with(|| Series { key, unit: unit_code(indicator.unit), observations: Vec::new() })
            .observations
            .push(obs);
    }
    let mut all: Vec<Series> = by_key.into_values().collect();
    for series in &mut all {
        series.observations.sort_by_key(|o| o.year);
    }
    all
}

/// `OBS_STATUS` of an aggregate: `A` when every value in it was reported, `I` when values
/// were imputed for some countries but the reported share still reaches `min_reported`,
/// `E` when it does not (the aggregate rests mostly on estimates).
fn aggregate_status(point: &Point) -> &'static str {
    if !point.meets_min_reported {
        "E"
    } else if point.coverage.countries_imputed > 0 {
        "I"
    } else {
        "A"
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "unknown".into(), |s| format!("{:.1} %", 100.0 * s))
}

/// A group's aggregate series (its points with a value), `REF_AREA` being the group code.
pub fn aggregate_series(group: &str, indicator: &Indicator, disaggregation: &str, points: &[Point]) -> Option<Series> {
    let [sex, urbanisation] = breakdown_codes(disaggregation)?;
    let observations: Vec<Obs> = points
        .iter()
        .filter_map(|point| {
            let value = point.value?;
            let c = &point.coverage;
            let comment = format!(
                "Aggregate of {} of {} economies: {} of the weight reported, {} estimated",
                c.countries_reporting,
                c.countries_in_group,
                percent(c.reported_weight_share),
                percent(c.imputed_weight_share)
            );
            Some(Obs {
                year: point.year,
                value,
                attributes: [Some(aggregate_status(point).into()), None, None, Some(comment), None],
            })
        })
        .collect();
    (!observations.is_empty()).then(|| Series {
        key: [ANNUAL.into(), group.into(), indicator.code.clone(), sex, urbanisation],
        unit: unit_code(indicator.unit),
        observations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disaggregations_map_to_sex_and_urbanisation_and_back() {
        assert_eq!(breakdown_codes(""), Some(["_T".into(), "_T".into()]));
        assert_eq!(breakdown_codes("area=urban;sex=female"), Some(["female".into(), "urban".into()]));
        assert_eq!(breakdown_codes("age=15-24"), None);
        assert_eq!(disaggregation_of("female", "urban"), "area=urban;sex=female");
        assert_eq!(disaggregation_of("_T", "_T"), "");
    }

    #[test]
    fn first_and_last_observations_are_kept() {
        let obs = |year| Obs { year, value: 1.0, attributes: Default::default() };
        let mut series =
            Series { key: Default::default(), unit: "percent", observations: (2000..2010).map(obs).collect() };
        series.keep(Some(5), Some(2));
        assert_eq!(
            series.observations.iter().map(|o| o.year).collect::<Vec<_>>(),
            [2000, 2001, 2002, 2003, 2004, 2008, 2009]
        );
        series.keep(None, Some(1));
        assert_eq!(series.observations.iter().map(|o| o.year).collect::<Vec<_>>(), [2009]);
    }
}
