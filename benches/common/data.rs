//! Generated statistics for the benchmarks: every series of the catalogue with plausible
//! values for any country and year, as rows of `POST /api/v1/observations`.

use connect2030::domain::catalogue::{Catalogue, Unit};

/// splitmix64: deterministic values.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One series: an indicator, optionally one of its `sex` breakdowns.
pub struct Series {
    /// Indicator code.
    pub indicator: String,
    unit: Unit,
    max: Option<f64>,
    /// `female` or `male` for a breakdown by sex; none for the total.
    pub sex: Option<&'static str>,
}

/// The 30 series: every indicator's total, and female and male for those broken down by sex.
pub fn series(catalogue: &Catalogue) -> Vec<Series> {
    let mut all = Vec::new();
    for indicator in &catalogue.indicators {
        let one =
            |sex| Series { indicator: indicator.code.clone(), unit: indicator.unit, max: indicator.max_value, sex };
        all.push(one(None));
        if indicator.disaggregations.iter().any(|d| d.dimension == "sex") {
            all.push(one(Some("female")));
            all.push(one(Some("male")));
        }
    }
    assert_eq!(all.len(), 30, "the catalogue's indicators and sex breakdowns make 30 series");
    all
}

/// A plausible value of a series for a country in a year (JSON number, or "yes"/"no").
pub fn value(series: &Series, country: usize, year: i32, first_year: i32) -> serde_json::Value {
    let h = mix(country as u64 * 1000 + series.indicator.len() as u64 * 7 + series.indicator.as_bytes()[0] as u64);
    let t = f64::from(year - first_year);
    let r = |v: f64| (v * 100.0).round() / 100.0;
    let v = match series.unit {
        Unit::Boolean => {
            let adopted = 2000 + (h % 40) as i32;
            return serde_json::json!(if year >= adopted { "yes" } else { "no" });
        }
        Unit::Percent if series.max == Some(100.0) => {
            let base = 1.0 + (h % 50) as f64;
            let slope = 0.5 + ((h >> 8) % 30) as f64 / 10.0;
            let total = (base + slope * t).min(99.0);
            match series.sex {
                Some("female") => total * 0.94,
                Some(_) => (total * 1.04).min(100.0),
                None => total,
            }
        }
        Unit::Percent => (2.0 + (h % 80) as f64) * 0.95f64.powf(t),
        Unit::Per100 => ((h % 10) as f64 + t * (0.5 + (h >> 8) as f64 % 5.0)).min(400.0),
        Unit::Kg => {
            let generated = 1e6 * (1 + (h % 100)) as f64 * (1.0 + 0.03 * t);
            match series.indicator.as_str() {
                "ewaste_recycled_kg" => generated * (0.05 + 0.012 * t),
                _ => generated,
            }
        }
        Unit::MtCo2e => -2.0 + (h % 20) as f64 + 0.5 * t,
        Unit::Count | Unit::Ratio => ((h % 5) as f64 + t / 3.0).floor(),
    };
    serde_json::json!(r(v))
}

pub fn observation(
    countries: &[String],
    series: &Series,
    country: usize,
    year: i32,
    first_year: i32,
) -> serde_json::Value {
    let mut row = serde_json::json!({
        "country": countries[country],
        "indicator": series.indicator,
        "year": year,
        "value": value(series, country, year, first_year),
        "source": "Bench generator",
        "nature": "estimated",
    });
    if let Some(sex) = series.sex {
        row["disaggregation"] = serde_json::json!({ "sex": sex });
    }
    row
}
