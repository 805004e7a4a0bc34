//! The reference lists the binary is built with (the same CSV files the reference-data
//! migration is generated from), for documenting valid codes in the specification.

const COUNTRIES: &str = include_str!("../reference/data/countries.csv");
const MEMBERS: &str = include_str!("../reference/data/itu_members.csv");
const INDICATORS: &str = include_str!("../reference/catalogue/indicators.csv");
const TARGETS: &str = include_str!("../reference/catalogue/targets.csv");
const GROUPS: &str = include_str!("../reference/catalogue/groups.csv");

/// The first column of a CSV file, without its header.
fn first_column(csv_text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    reader.records().filter_map(|r| r.ok()).filter_map(|r| r.get(0).map(str::to_string)).collect()
}

/// ISO alpha-3 codes of every economy.
pub fn economies() -> Vec<String> {
    first_column(COUNTRIES)
}

/// ISO alpha-3 codes of the ITU member states.
pub fn member_states() -> Vec<String> {
    first_column(MEMBERS)
}

/// Indicator codes.
pub fn indicators() -> Vec<String> {
    first_column(INDICATORS)
}

/// Target ids.
pub fn targets() -> Vec<String> {
    first_column(TARGETS)
}

/// Group codes.
pub fn groups() -> Vec<String> {
    first_column(GROUPS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_lists_are_complete() {
        assert_eq!(super::economies().len(), 251);
        assert_eq!(super::member_states().len(), 194);
        assert_eq!(super::targets().len(), 24);
        assert!(super::groups().contains(&"LDC".to_string()));
        assert!(super::indicators().contains(&"netp".to_string()));
    }
}
