//! The bundled public statistics (`serve --load-public-data`): Internet use by country,
//! 1990–2024, loaded through the same validation and ingest path as a member state's
//! submission, by a system reporter. Loading twice adds nothing.

use crate::db::{ingest, reporters as reporter_store, write, DbResult};
use crate::domain::ingest::{count, plan};
use crate::domain::observation::{validate_batch, RawRow, RawValue};
use crate::state::AppState;
use anyhow::{bail, Context};
use chrono::{Datelike, Utc};

const INTERNET_USERS: &str = include_str!("../reference/data/internet_users_pct.csv");
const INDICATOR: &str = "individuals_internet_pct";
/// Attribution stored with every bundled value.
pub const SOURCE: &str = "ITU World Telecommunication/ICT Indicators, via World Bank WDI IT.NET.USER.ZS and \
                          Gapminder systema_globalis (CC BY 4.0)";
const NOTE: &str = "Bundled public data; ITU figures mix country reports and ITU estimates, which the source \
                    file does not distinguish";
/// Name of the system reporter that owns bundled values.
pub const REPORTER_NAME: &str = "Bundled public data (connect2030)";

/// What a load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadSummary {
    /// Rows in the bundled file.
    pub rows: usize,
    /// Values created or revised (0 when everything was already there).
    pub changed: usize,
}

fn rows() -> anyhow::Result<Vec<RawRow>> {
    let mut reader = csv::Reader::from_reader(INTERNET_USERS.as_bytes());
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.context("reading the bundled Internet use file")?;
        let text = |value: &str| RawValue::Text(value.to_string());
        let fields = [
            ("country", text(&record[0])),
            ("indicator", text(INDICATOR)),
            ("year", text(&record[1])),
            ("value", text(&record[2])),
            ("source", text(SOURCE)),
            ("nature", text("estimated")),
            ("note", text(NOTE)),
        ];
        rows.push(RawRow { index: n + 2, fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect() });
    }
    Ok(rows)
}

/// Loads the bundled data; a second load finds everything unchanged and writes nothing.
pub fn load(state: &AppState) -> anyhow::Result<LoadSummary> {
    let raw = rows()?;
    let valid = validate_batch(&raw, &state.catalogue, Utc::now().year()).map_err(|errors| {
        anyhow::anyhow!("the bundled data does not validate: {:?}", errors.iter().take(5).collect::<Vec<_>>())
    })?;
    let catalogue = state.catalogue.clone();
    let changed = state.db.write_blocking(|conn| -> DbResult<usize> {
        let at = write::begin(conn)?;
        let current = ingest::load_current(conn, &catalogue, &valid)?;
        let counts = count(&plan(&valid, &current));
        let changed = counts.created + counts.revised;
        if changed == 0 {
            return Ok(0);
        }
        let reporter_id = match reporter_store::find_admin_by_name(conn, REPORTER_NAME)? {
            Some(id) => id,
            None => reporter_store::create_reporter(conn, REPORTER_NAME, None, true, None)?.id,
        };
        let submitter = ingest::Submitter { reporter_id, key_id: None, format: "bundled".into() };
        ingest::apply(conn, &catalogue, &submitter, &valid, at, false)?;
        Ok(changed)
    })?;
    if raw.is_empty() {
        bail!("the bundled data file is empty");
    }
    if changed >= write::STATISTICS_AFTER {
        write::refresh_statistics(&mut *state.db.get()?)?;
    }
    Ok(LoadSummary { rows: raw.len(), changed })
}
