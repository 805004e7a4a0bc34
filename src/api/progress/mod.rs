//! `GET /progress`, `GET /progress/targets/{target}`, `GET /progress/countries/{iso3}`,
//! `GET /indicators/{code}/aggregates`: computed progress, cached by data version.

mod aggregates;
mod country;
mod estimation;
mod overview;
mod params;
mod read;
mod serve;
mod target;

pub use aggregates::*;
pub use country::*;
pub use estimation::EstimationParams;
pub use overview::*;
pub use params::{ProgressParams, Provenance};
pub use read::ProgressRead;
pub use serve::{serve_as, Request, STALE_HEADER};
pub use target::*;
