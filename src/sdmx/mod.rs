//! SDMX 2.1 (ISO 17369) views of the catalogue and of the observations: one dataflow, its
//! data structure definition, code lists and concepts, data query keys, and the data
//! messages (SDMX-ML structure-specific and generic, SDMX-CSV 1.0 and 2.0, SDMX-JSON 1.0).
//!
//! Pure mapping, no I/O: the HTTP side (`api::sdmx`) reads the database and hands the values
//! here. The catalogue's own codes are the SDMX ids, unchanged (`individuals_internet_pct`,
//! `KEN`, `WORLD`), so a key reads the same in both APIs.

pub mod csv;
pub mod json;
pub mod key;
pub mod series;
pub mod structure;
pub mod structure_xml;
pub mod upload;
pub mod xml;
pub mod xml_data;

/// The one dataflow.
pub const DATAFLOW: &str = "CONNECT2030";
/// Its data structure definition.
pub const DSD: &str = "DSD_CONNECT2030";
/// The concept scheme of every component.
pub const CONCEPT_SCHEME: &str = "CS_CONNECT2030";
/// Version of every artefact.
pub const VERSION: &str = "1.0";
/// The code of a total (no breakdown) in `SEX` and `URBANISATION`.
pub const TOTAL: &str = "_T";
/// The only frequency: annual.
pub const ANNUAL: &str = "A";

/// The dimensions of a series key, in key order (`TIME_PERIOD` comes after them).
pub const DIMENSIONS: [&str; 5] = ["FREQ", "REF_AREA", "INDICATOR", "SEX", "URBANISATION"];
/// The time dimension.
pub const TIME_PERIOD: &str = "TIME_PERIOD";
/// The primary measure.
pub const OBS_VALUE: &str = "OBS_VALUE";
/// Attributes attached to a series.
pub const SERIES_ATTRIBUTES: [&str; 1] = ["UNIT_MEASURE"];
/// Attributes attached to an observation.
pub const OBS_ATTRIBUTES: [&str; 5] = ["OBS_STATUS", "NATURE", "SOURCE_DETAIL", "COMMENT_OBS", "EVIDENCE_URL"];

/// The catalogue's disaggregation dimensions and the SDMX dimensions they become.
pub const BREAKDOWNS: [(&str, &str); 2] = [("SEX", "sex"), ("URBANISATION", "area")];

/// Who maintains the artefacts, and when a message is prepared (kept out of the mapping so
/// it stays pure).
#[derive(Debug, Clone)]
pub struct Context {
    /// The agency id (a setting, `C2030` by default).
    pub agency: String,
    /// When the message is prepared (RFC 3339).
    pub prepared: String,
}

/// `C2030:CONNECT2030(1.0)`, how SDMX-CSV names the dataflow of an agency.
pub fn flow_ref(agency: &str) -> String {
    format!("{agency}:{DATAFLOW}({VERSION})")
}

impl Context {
    /// The dataflow as SDMX-CSV names it.
    pub fn flow_ref(&self) -> String {
        flow_ref(&self.agency)
    }

    /// A message id unique enough for a header.
    pub fn message_id(&self) -> String {
        let digits: String = self.prepared.chars().filter(char::is_ascii_digit).collect();
        format!("IREF{digits}")
    }
}

/// What a data query cannot be, in SDMX REST terms; the HTTP side maps each kind to its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// 400: the query is malformed.
    Syntax(String),
    /// 404 (`NoResultsFound`): valid, but nothing matches.
    NoResults(String),
    /// 501: valid SDMX this service does not implement.
    NotImplemented(String),
}
