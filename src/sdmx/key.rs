//! Data queries: the flow reference, the series key (`A.KEN+UGA.individuals_internet_pct._T._T`,
//! empty positions as wildcards), periods, `detail` and `dimensionAtObservation`.

use super::{QueryError, DATAFLOW, DIMENSIONS, VERSION};
use chrono::{NaiveDate, Weekday};
use std::collections::BTreeSet;

/// Checks a flow reference: `CONNECT2030`, `C2030,CONNECT2030` or `C2030,CONNECT2030,1.0`
/// (`all`/`latest` allowed for agency and version).
pub fn check_flow(flow: &str, agency: &str) -> Result<(), QueryError> {
    let parts: Vec<&str> = flow.split(',').collect();
    let (flow_agency, id, version) = match parts.as_slice() {
        [id] => ("all", *id, "latest"),
        [agency, id] => (*agency, *id, "latest"),
        [agency, id, version] => (*agency, *id, *version),
        _ => return Err(QueryError::Syntax(format!("`{flow}` is not a flow reference (agency,id,version)"))),
    };
    let agency_ok = matches!(flow_agency, "all" | "*") || flow_agency == agency;
    let version_ok = matches!(version, "all" | "latest" | "*" | "+" | "~") || version == VERSION;
    if id == DATAFLOW && agency_ok && version_ok {
        Ok(())
    } else {
        Err(QueryError::NoResults(format!("no dataflow `{flow}`: this service has {agency},{DATAFLOW},{VERSION}")))
    }
}

/// The codes each dimension of a series key may take; `None` is a wildcard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFilter {
    positions: [Option<BTreeSet<String>>; 5],
}

impl KeyFilter {
    /// Parses a key; `all` (or nothing) matches every series.
    pub fn parse(key: &str) -> Result<Self, QueryError> {
        let key = key.trim();
        if key.is_empty() || key == "all" {
            return Ok(Self::default());
        }
        let parts: Vec<&str> = key.split('.').collect();
        if parts.len() != DIMENSIONS.len() {
            return Err(QueryError::Syntax(format!(
                "the key `{key}` has {} dimensions; this dataflow has {} ({})",
                parts.len(),
                DIMENSIONS.len(),
                DIMENSIONS.join(".")
            )));
        }
        let mut filter = Self::default();
        for (slot, part) in filter.positions.iter_mut().zip(parts) {
            if part.is_empty() || part == "*" {
                continue;
            }
            let codes: BTreeSet<String> = part.split('+').map(str::to_string).collect();
            if codes
                .iter()
                .any(|c| c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || "_-@$".contains(ch)))
            {
                return Err(QueryError::Syntax(format!("`{part}` is not a list of codes joined by `+`")));
            }
            *slot = Some(codes);
        }
        Ok(filter)
    }

    /// The codes asked for at a dimension (by its position in [`DIMENSIONS`]), if restricted.
    pub fn codes(&self, position: usize) -> Option<&BTreeSet<String>> {
        self.positions[position].as_ref()
    }

    /// Whether a series key (values in [`DIMENSIONS`] order) matches.
    pub fn accepts(&self, values: [&str; 5]) -> bool {
        self.positions.iter().zip(values).all(|(codes, value)| codes.as_ref().is_none_or(|c| c.contains(value)))
    }

    /// Whether a code may appear at a dimension.
    pub fn allows(&self, position: usize, code: &str) -> bool {
        self.positions[position].as_ref().is_none_or(|c| c.contains(code))
    }
}

/// The year a period parameter falls in: a year of four digits alone (`2020`), with a month
/// (`2020-06`) or a day (`2020-06-30`), or with an SDMX reporting period that exists
/// (`2020-A1`, `-S1`…`S2`, `-T1`…`T3`, `-Q1`…`Q4`, `-M01`…`M12`, `-W01`…`W53`, `-D001`…`D366`,
/// the last week and day only in years that have them).
pub fn period_year(name: &str, value: &str) -> Result<i32, QueryError> {
    let bad = || {
        QueryError::Syntax(format!(
            "`{name}={value}` is not an SDMX period (e.g. 2020, 2020-06, 2020-06-30, 2020-Q2, 2020-M06, 2020-W05)"
        ))
    };
    let value = value.trim();
    let (year, rest) = value.split_at_checked(4).ok_or_else(bad)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    if year == 0 || !(rest.is_empty() || rest.strip_prefix('-').is_some_and(|r| period_exists(year, r))) {
        return Err(bad());
    }
    Ok(year)
}

/// Whether what follows `YYYY-` names a month, a day or a reporting period of that year.
fn period_exists(year: i32, rest: &str) -> bool {
    let number = |digits: &str, width: usize| {
        (digits.len() == width && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    };
    let within = |digits: &str, width: usize, last: u32| number(digits, width).is_some_and(|n| (1..=last).contains(&n));
    if let Some((month, day)) = rest.split_once('-') {
        return number(month, 2)
            .zip(number(day, 2))
            .is_some_and(|(m, d)| NaiveDate::from_ymd_opt(year, m, d).is_some());
    }
    let (kind, digits) = rest.split_at_checked(1).unwrap_or(("", ""));
    match kind {
        "A" => within(digits, 1, 1),
        "S" => within(digits, 1, 2),
        "T" => within(digits, 1, 3),
        "Q" => within(digits, 1, 4),
        "M" => within(digits, 2, 12),
        "W" => number(digits, 2).is_some_and(|w| NaiveDate::from_isoywd_opt(year, w, Weekday::Mon).is_some()),
        "D" => number(digits, 3).is_some_and(|d| NaiveDate::from_yo_opt(year, d).is_some()),
        _ => within(rest, 2, 12),
    }
}

/// How much a data message holds (`detail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything.
    Full,
    /// Values without attributes.
    DataOnly,
    /// Series keys only.
    SeriesKeysOnly,
    /// Series keys and their attributes, no observations.
    NoData,
}

impl Detail {
    /// Parses the `detail` parameter.
    pub fn parse(value: Option<&str>) -> Result<Self, QueryError> {
        Ok(match value.unwrap_or("full") {
            "full" => Self::Full,
            "dataonly" => Self::DataOnly,
            "serieskeysonly" => Self::SeriesKeysOnly,
            "nodata" => Self::NoData,
            other => {
                return Err(QueryError::Syntax(format!(
                    "`detail={other}`: expected full, dataonly, serieskeysonly or nodata"
                )))
            }
        })
    }

    /// Whether observations are written.
    pub fn observations(self) -> bool {
        matches!(self, Self::Full | Self::DataOnly)
    }

    /// Whether attributes are written.
    pub fn attributes(self) -> bool {
        matches!(self, Self::Full | Self::NoData)
    }
}

/// Parses `dimensionAtObservation`: `true` for `TIME_PERIOD` (the default), `false` for
/// `AllDimensions` (a flat list of observations); any other dimension is not implemented.
pub fn series_by_time(value: Option<&str>) -> Result<bool, QueryError> {
    match value.unwrap_or(super::TIME_PERIOD) {
        super::TIME_PERIOD => Ok(true),
        "AllDimensions" => Ok(false),
        other if DIMENSIONS.contains(&other) => Err(QueryError::NotImplemented(format!(
            "dimensionAtObservation={other}: only TIME_PERIOD or AllDimensions"
        ))),
        other => {
            Err(QueryError::Syntax(format!("`dimensionAtObservation={other}` names no dimension of the dataflow")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_wildcards_and_alternatives() {
        let filter = KeyFilter::parse("A.KEN+UGA.individuals_internet_pct..").unwrap();
        assert!(filter.accepts(["A", "UGA", "individuals_internet_pct", "female", "_T"]));
        assert!(!filter.accepts(["A", "TZA", "individuals_internet_pct", "_T", "_T"]));
        assert_eq!(KeyFilter::parse("all").unwrap(), KeyFilter::default());
        assert!(matches!(KeyFilter::parse("A.KEN"), Err(QueryError::Syntax(_))));
        assert!(matches!(KeyFilter::parse("A.KEN++UGA...."), Err(QueryError::Syntax(_))));
    }

    #[test]
    fn periods_give_their_year() {
        for (text, year) in
            [("2020", 2020), ("2020-06", 2020), ("2020-06-30", 2020), ("2019-Q4", 2019), ("2021-A1", 2021)]
        {
            assert_eq!(period_year("startPeriod", text), Ok(year), "{text}");
        }
        for good in ["2020-S2", "2020-T3", "2020-Q1", "2020-M12", "2020-W53", "2020-D366", "2019-02-28"] {
            assert_eq!(period_year("endPeriod", good), Ok(2020.min(good[..4].parse().unwrap())), "{good}");
        }
        for bad in [
            "20",
            "twenty",
            "2020-13-",
            "2020/01",
            "0000",
            "2020-13",
            "2020-00",
            "2020-Q9",
            "2020-Q0",
            "+202",
            "-2020",
            "+2020",
            "2020-02-30",
            "2019-W53",
            "2019-D366",
            "2020-A2",
            "2020-M1",
            "2020-S3",
            "2020-Q12",
            "2020-",
        ] {
            assert!(period_year("startPeriod", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flows_match_by_id_agency_and_version() {
        assert!(check_flow("CONNECT2030", "C2030").is_ok());
        assert!(check_flow("C2030,CONNECT2030,latest", "C2030").is_ok());
        assert!(check_flow("all,CONNECT2030,1.0", "C2030").is_ok());
        assert!(matches!(check_flow("ESTAT,CONNECT2030", "C2030"), Err(QueryError::NoResults(_))));
        assert!(matches!(check_flow("C2030,OTHER", "C2030"), Err(QueryError::NoResults(_))));
        assert!(matches!(series_by_time(Some("REF_AREA")), Err(QueryError::NotImplemented(_))));
    }
}
