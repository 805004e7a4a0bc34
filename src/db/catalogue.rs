//! Loads the catalogue from the reference tables into typed domain values.

use super::schema::*;
use super::DbConnection;
use crate::domain::catalogue::*;
use crate::domain::parse_enum;
use anyhow::{anyhow, Context};
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap};

fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> anyhow::Result<T> {
    parse_enum(text).ok_or_else(|| anyhow!("unknown {what} `{text}` in the catalogue"))
}

type TargetRow = (
    String,
    i32,
    i32,
    String,
    Option<f64>,
    String,
    String,
    String,
    Option<String>,
    i32,
    Option<i32>,
    String,
    bool,
    String,
    String,
    String,
);

/// Reads the whole catalogue. Fails loudly on a value the code does not understand, so a bad
/// data migration stops start-up instead of serving nonsense.
pub fn load(conn: &mut DbConnection) -> anyhow::Result<Catalogue> {
    let goals = goals::table
        .order(goals::id)
        .load::<(i32, String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name_en, name_zh, statement_en, statement_zh)| Goal {
            id,
            name: Localized { en: name_en, zh: name_zh },
            statement: Localized { en: statement_en, zh: statement_zh },
        })
        .collect();

    let indicators = indicators::table
        .order(indicators::code)
        .load::<(String, String, String, Option<f64>, Option<f64>, String, String, String, Option<String>, i32)>(conn)?
        .into_iter()
        .map(|(code, name, unit, min_value, max_value, direction, aggregation, disaggregations, note, first_year)| {
            Ok(Indicator {
                unit: parse("unit", &unit)?,
                direction: parse("direction", &direction)?,
                aggregation: parse("aggregation", &aggregation)?,
                disaggregations: Disaggregation::parse_list(&disaggregations).map_err(|e| anyhow!(e))?,
                code,
                name,
                min_value,
                max_value,
                note,
                first_year,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

    let links = target_indicators::table
        .order((target_indicators::target_id, target_indicators::position))
        .select((target_indicators::target_id, target_indicators::indicator_code))
        .load::<(String, String)>(conn)?;
    let targets = targets::table
        .order((targets::goal_id, targets::position))
        .load::<TargetRow>(conn)?
        .into_iter()
        .map(|row| {
            let (id, goal, position, kind, target_value, comparator, direction, group, comparison_group) =
                (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8);
            let indicators = links.iter().filter(|(t, _)| *t == id).map(|(_, code)| code.clone()).collect();
            Ok(Target {
                rule: Rule {
                    kind: parse("rule kind", &kind)?,
                    target_value,
                    comparator,
                    direction: parse("direction", &direction)?,
                    group,
                    comparison_group,
                    deadline_year: row.9,
                    baseline_year: row.10,
                    measure: parse("measure", &row.11)?,
                },
                wording_verified: row.12,
                text: Localized { en: row.13, zh: row.14 },
                source: row.15,
                id,
                goal,
                position,
                indicators,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

    let economies = economies::table
        .order(economies::iso3)
        .load::<(String, Option<String>, Option<String>, String, String, Option<String>, Option<String>, Option<String>)>(
            conn,
        )?
        .into_iter()
        .map(|(iso3, iso2, m49, name, short_name, un_region, un_subregion, status)| Economy {
            iso3,
            iso2,
            m49,
            name,
            short_name,
            un_region,
            un_subregion,
            status,
        })
        .collect();

    let members = group_members::table.order((group_members::group_code, group_members::iso3)).load::<(
        String,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
    )>(conn)?;
    let groups = country_groups::table
        .order(country_groups::position)
        .load::<(String, String, String, String, String, i32)>(conn)?
        .into_iter()
        .map(|(code, name, kind, description, source, _)| Group {
            members: members
                .iter()
                .filter(|(group, ..)| *group == code)
                .map(|(_, iso3, valid_from, valid_to)| Membership {
                    iso3: iso3.clone(),
                    valid_from: *valid_from,
                    valid_to: *valid_to,
                })
                .collect(),
            code,
            name,
            kind,
            description,
            source,
        })
        .collect();

    let mut population: HashMap<String, BTreeMap<i32, i64>> = HashMap::new();
    for (iso3, year, value) in population::table.load::<(String, i32, i64)>(conn).context("loading population")? {
        population.entry(iso3).or_default().insert(year, value);
    }

    Ok(Catalogue { goals, targets, indicators, economies, groups, population, ..Default::default() })
}
