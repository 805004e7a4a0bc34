//! Content negotiation of the SDMX endpoints: `format=` first, then `Accept` as RFC 9110
//! (section 12.5.1) reads it, then the SDMX-ML default.

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
    /// The SDMX media type of the format.
    pub const fn media_type(self) -> &'static str {
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
}

/// A representation the server can send: its type (`essence`), the `version` parameters that
/// name it (none: any `version` is ignored), the `Content-Type` it is sent with, and what it is.
struct Offer<T> {
    essence: &'static str,
    versions: &'static [&'static str],
    content_type: &'static str,
    value: T,
}

const fn offer<T>(
    essence: &'static str,
    versions: &'static [&'static str],
    content_type: &'static str,
    value: T,
) -> Offer<T> {
    Offer { essence, versions, content_type, value }
}

const V1: &[&str] = &["1.0.0", "1.0", "1"];

/// Data representations, in the server's order of preference (the first one is the default,
/// and wins ties).
const DATA: &[Offer<DataFormat>] = {
    use DataFormat::*;
    &[
        offer(
            "application/vnd.sdmx.structurespecificdata+xml",
            &["2.1"],
            StructureSpecific.media_type(),
            StructureSpecific,
        ),
        offer("application/vnd.sdmx.genericdata+xml", &["2.1"], Generic.media_type(), Generic),
        offer("application/vnd.sdmx.data+csv", V1, Csv1.media_type(), Csv1),
        offer("application/vnd.sdmx.data+csv", &["2.0.0", "2.0", "2"], Csv2.media_type(), Csv2),
        offer("application/vnd.sdmx.data+json", V1, Json.media_type(), Json),
        offer("application/xml", &[], "application/xml; charset=utf-8", StructureSpecific),
        offer("text/xml", &[], "text/xml; charset=utf-8", StructureSpecific),
        offer("text/csv", &[], "text/csv; charset=utf-8", Csv1),
        offer("application/json", &[], "application/json", Json),
    ]
};

/// Structure representations: SDMX-ML 2.1, under three names.
const STRUCTURES: &[Offer<()>] = &[
    offer("application/vnd.sdmx.structure+xml", &["2.1"], STRUCTURE_XML, ()),
    offer("application/xml", &[], "application/xml; charset=utf-8", ()),
    offer("text/xml", &[], "text/xml; charset=utf-8", ()),
];

/// One media range of `Accept`: `type/subtype` (either may be `*`), its `version` parameter and
/// its weight.
struct Range {
    essence: String,
    version: Option<String>,
    quality: f32,
}

impl Range {
    /// How specifically the range names an offer (RFC 9110: the most specific range that
    /// matches decides an offer's weight), or `None` when it does not match it.
    fn specificity<T>(&self, offer: &Offer<T>) -> Option<u8> {
        let (kind, _) = offer.essence.split_once('/').unwrap_or((offer.essence, ""));
        match self.essence.as_str() {
            "*/*" => Some(0),
            range if range.strip_suffix("/*") == Some(kind) => Some(1),
            range if range == offer.essence => match (&self.version, offer.versions.is_empty()) {
                (Some(version), false) => offer.versions.contains(&version.as_str()).then_some(3),
                _ => Some(2),
            },
            _ => None,
        }
    }
}

/// The media ranges of `Accept`; a weight that is no number from 0 to 1 counts as 0.
fn ranges(req: &HttpRequest) -> Vec<Range> {
    let header = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    header
        .split(',')
        .filter(|r| !r.trim().is_empty())
        .map(|range| {
            let mut parts = range.split(';').map(str::trim);
            let essence = parts.next().unwrap_or("").to_ascii_lowercase();
            let mut parsed = Range { essence, version: None, quality: 1.0 };
            for parameter in parts {
                match parameter
                    .split_once('=')
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"')))
                {
                    Some((k, v)) if k == "q" => {
                        parsed.quality = v.parse().ok().filter(|q| (0.0..=1.0).contains(q)).unwrap_or(0.0)
                    }
                    Some((k, v)) if k == "version" => parsed.version = Some(v.to_string()),
                    _ => {}
                }
            }
            parsed
        })
        .collect()
}

/// The offer `Accept` prefers: each offer weighs what its most specific matching range says
/// (0 when none matches, never chosen), the heaviest wins, ties go to the earlier offer. No
/// `Accept` (or an empty one) takes the first offer.
fn negotiate<'a, T>(req: &HttpRequest, offers: &'a [Offer<T>]) -> Option<&'a Offer<T>> {
    let ranges = ranges(req);
    if ranges.is_empty() {
        return offers.first();
    }
    let weight = |offer: &Offer<T>| {
        ranges
            .iter()
            .filter_map(|range| range.specificity(offer).map(|s| (s, range.quality)))
            .max_by_key(|(specificity, _)| *specificity)
            .map_or(0.0, |(_, quality)| quality)
    };
    let mut best: Option<(&Offer<T>, f32)> = None;
    for offer in offers {
        let quality = weight(offer);
        if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
            best = Some((offer, quality));
        }
    }
    best.map(|(offer, _)| offer)
}

fn not_acceptable(detail: String) -> ApiError {
    ApiError::new(StatusCode::NOT_ACCEPTABLE, "not_acceptable", detail)
}

/// The data format asked for, and the `Content-Type` to send it with.
pub fn data_format(req: &HttpRequest, format: Option<&str>) -> Result<(DataFormat, &'static str), ApiError> {
    if let Some(format) = format {
        return DataFormat::from_format(format).map(|f| (f, f.media_type())).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_format",
                format!("`format={format}`: expected structurespecificdata, genericdata, csv, csv2 or jsondata"),
            )
        });
    }
    negotiate(req, DATA).map(|offer| (offer.value, offer.content_type)).ok_or_else(|| {
        not_acceptable(
            "data is served as SDMX-ML 2.1 (structure-specific or generic; also as application/xml or text/xml), \
             SDMX-CSV 1.0.0 (also as text/csv) or 2.0.0, or SDMX-JSON 1.0.0 (also as application/json)"
                .into(),
        )
    })
}

/// The `Content-Type` of a structure message (SDMX-ML 2.1), if one is acceptable.
pub fn structure_format(req: &HttpRequest, format: Option<&str>) -> Result<&'static str, ApiError> {
    if let Some(format) = format {
        return match format {
            "structure" | "xml" => Ok(STRUCTURE_XML),
            other => Err(ApiError::bad_request("invalid_format", format!("`format={other}`: expected structure"))),
        };
    }
    negotiate(req, STRUCTURES).map(|offer| offer.content_type).ok_or_else(|| {
        not_acceptable(format!("structures are served as {STRUCTURE_XML} (also as application/xml or text/xml)"))
    })
}
