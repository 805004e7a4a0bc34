//! Any finite value, however extreme, gives finite numbers everywhere: an aggregate that
//! overflows is withheld and says so, never dropped.

use super::*;
use crate::domain::progress::tests::extreme;
use crate::domain::progress::Withheld;
use crate::domain::tracking::{breakdown, TargetBreakdown};

const NUMERIC: [(&str, &str); 9] = [
    ("internet_pct", ""),
    ("internet_pct", "sex=female"),
    ("internet_pct", "sex=male"),
    ("price_fixed_pct", ""),
    ("price_mobile_pct", ""),
    ("fixed_per100", ""),
    ("ewaste_recycled_kg", ""),
    ("ewaste_generated_kg", ""),
    ("partnerships_count", ""),
];
const YEARS: [i32; 4] = [2015, 2017, 2020, 2023];

/// Words of a debug rendering: `inf` or `NaN` among them is a non-finite number.
fn non_finite_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| *w == "inf" || *w == "NaN").collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_target_gives_finite_numbers_and_withholds_what_overflows(
        values in prop::collection::vec(extreme(), NUMERIC.len() * YEARS.len() * 4),
        trend in any::<bool>(),
    ) {
        let cat = catalogue();
        let mut data = answers();
        let countries = ["AAA", "BBB", "CCC", "DDD"];
        let mut values = values.into_iter();
        for (indicator, disaggregation) in NUMERIC {
            for country in countries {
                for year in YEARS {
                    data.insert(indicator, disaggregation, country, year, values.next().unwrap_or(0.0));
                }
            }
        }
        let estimation = if trend { Estimation::trend(5, 5) } else { Estimation::NONE };
        let options = with(|o| o.estimation = estimation);
        let inputs = Inputs { catalogue: &cat, data: &data, options };
        for target in &cat.targets {
            let all: TargetBreakdown = breakdown(inputs, target).unwrap();
            let spec = MeasureSpec::of_target(target, &cat).unwrap();
            let own: Vec<_> = countries.iter().map(|c| country_progress(inputs, target, &spec, c, true)).collect();
            let text = format!("{all:?} {own:?}");
            prop_assert!(non_finite_words(&text).is_empty(), "{}: {:?}", target.id, non_finite_words(&text));
            if target.id == "CNT" {
                // Every year with values is in the sum's series, as a value or withheld.
                let listed = years(&all.headline.series);
                prop_assert!(YEARS.iter().all(|y| listed.contains(y)), "{:?}", listed);
                for p in &all.headline.series {
                    prop_assert!(p.value.is_some() != (p.withheld == Some(Withheld::Overflow)), "{:?}", p);
                }
            }
        }
    }
}

#[test]
fn a_sum_beyond_the_largest_double_is_withheld_as_an_overflow() {
    let cat = catalogue();
    let mut data = DataSet::default();
    put(&mut data, "partnerships_count", &[("AAA", 2020, f64::MAX), ("BBB", 2020, f64::MAX), ("CCC", 2021, 1.0)]);
    let series = progress(&cat, &data, options(), "CNT", ITU_MEMBERS).series;
    let overflowed = point(&series, 2020);
    assert_eq!((overflowed.value, overflowed.withheld), (None, Some(Withheld::Overflow)));
    assert_eq!(overflowed.coverage.countries_reporting, 2);
    assert_eq!(point(&series, 2021).value, Some(1.0));
    let json = serde_json::to_value(overflowed).unwrap();
    assert_eq!(json["withheld"], "overflow");
}
