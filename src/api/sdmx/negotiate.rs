//! Content negotiation of the SDMX endpoints: `format=` first, then `Accept` (media ranges
//! in order of preference), then the SDMX-ML default.

use crate::error::ApiError;
use actix_web::http::{header, StatusCode};
use actix_web::HttpRequest;

/// A data message format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// SDMX-ML 2.1 structure-specific data (the default).
    StructureSpecific,
    /// SDMX-ML 2.1 generic data.
    Generic,
    /// SDMX-CSV 1.0.0.
    Csv1,
    /// SDMX-CSV 2.0.0.
    Csv2,
    /// SDMX-JSON data 1.0.0.
    Json,
}

/// Media type of SDMX-ML structure messages.
pub const STRUCTURE_XML: &str = "application/vnd.sdmx.structure+xml; version=2.1";

impl DataFormat {
    /// The media type the answer carries.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::StructureSpecific => "application/vnd.sdmx.structurespecificdata+xml; version=2.1",
            Self::Generic => "application/vnd.sdmx.genericdata+xml; version=2.1",
            Self::Csv1 => "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
            Self::Csv2 => "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
            Self::Json => "application/vnd.sdmx.data+json; version=1.0.0",
        }
    }

    fn from_format(value: &str) -> Option<Self> {
        Some(match value {
            "structurespecificdata" | "xml" => Self::StructureSpecific,
            "genericdata" => Self::Generic,
            "csv" | "csvfile" => Self::Csv1,
            "csv2" => Self::Csv2,
            "jsondata" | "json" => Self::Json,
            _ => return None,
        })
    }

    fn from_media(essence: &str, version: Option<&str>) -> Option<Self> {
        Some(match (essence, version) {
            ("application/vnd.sdmx.structurespecificdata+xml", None | Some("2.1")) => Self::StructureSpecific,
            ("application/vnd.sdmx.genericdata+xml", None | Some("2.1")) => Self::Generic,
            ("application/xml" | "text/xml" | "application/*" | "*/*", _) => Self::StructureSpecific,
            ("application/vnd.sdmx.data+csv", None | Some("1.0.0" | "1.0" | "1")) => Self::Csv1,
            ("application/vnd.sdmx.data+csv", Some("2.0.0" | "2.0" | "2")) => Self::Csv2,
            ("text/csv", _) => Self::Csv1,
            ("application/vnd.sdmx.data+json", None | Some("1.0.0" | "1.0" | "1")) => Self::Json,
            ("application/json", _) => Self::Json,
            _ => return None,
        })
    }
}

/// The media ranges of `Accept`, best first: (essence, `version` parameter).
fn accepted(req: &HttpRequest) -> Vec<(String, Option<String>)> {
    let header = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("").trim();
    let mut ranges: Vec<(f32, String, Option<String>)> = header
        .split(',')
        .filter(|r| !r.trim().is_empty())
        .map(|range| {
            let mut parts = range.split(';').map(str::trim);
            let essence = parts.next().unwrap_or("").to_ascii_lowercase();
            let (mut quality, mut version) = (1.0, None);
            for parameter in parts {
                match parameter
                    .split_once('=')
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"')))
                {
                    Some((k, v)) if k == "q" => quality = v.parse().unwrap_or(0.0),
                    Some((k, v)) if k == "version" => version = Some(v.to_string()),
                    _ => {}
                }
            }
            (quality, essence, version)
        })
        .filter(|(q, _, _)| *q > 0.0)
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.into_iter().map(|(_, essence, version)| (essence, version)).collect()
}

fn not_acceptable(detail: String) -> ApiError {
    ApiError::new(StatusCode::NOT_ACCEPTABLE, "not_acceptable", detail)
}

/// The data format asked for.
pub fn data_format(req: &HttpRequest, format: Option<&str>) -> Result<DataFormat, ApiError> {
    if let Some(format) = format {
        return DataFormat::from_format(format).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_format",
                format!("`format={format}`: expected structurespecificdata, genericdata, csv, csv2 or jsondata"),
            )
        });
    }
    let ranges = accepted(req);
    if ranges.is_empty() {
        return Ok(DataFormat::StructureSpecific);
    }
    ranges.iter().find_map(|(essence, version)| DataFormat::from_media(essence, version.as_deref())).ok_or_else(|| {
        not_acceptable(
            "data is served as SDMX-ML 2.1 (structure-specific or generic), SDMX-CSV 1.0.0 or 2.0.0, or SDMX-JSON 1.0.0"
                .into(),
        )
    })
}

/// Checks that a structure message (SDMX-ML 2.1) is acceptable.
pub fn structure_format(req: &HttpRequest, format: Option<&str>) -> Result<(), ApiError> {
    if let Some(format) = format {
        return match format {
            "structure" | "xml" => Ok(()),
            other => Err(ApiError::bad_request("invalid_format", format!("`format={other}`: expected structure"))),
        };
    }
    let ranges = accepted(req);
    let fits = |(essence, version): &(String, Option<String>)| match essence.as_str() {
        "application/vnd.sdmx.structure+xml" => version.as_deref().is_none_or(|v| v == "2.1"),
        "application/xml" | "text/xml" | "application/*" | "*/*" => true,
        _ => false,
    };
    if ranges.is_empty() || ranges.iter().any(fits) {
        Ok(())
    } else {
        Err(not_acceptable(format!("structures are served as {STRUCTURE_XML}")))
    }
}
