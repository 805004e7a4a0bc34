//! SDMX-ML 2.1 data messages, structure-specific and generic, written in pieces (start, series,
//! end) so that a large message can be streamed.

use super::key::Detail;
use super::series::Series;
use super::structure_xml::header;
use super::xml::{close, empty, open, DECLARATION};
use super::{Context, DIMENSIONS, DSD, OBS_ATTRIBUTES, OBS_VALUE, SERIES_ATTRIBUTES, TIME_PERIOD, VERSION};

/// Which SDMX-ML data message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlKind {
    /// Structure-specific data: components as XML attributes.
    StructureSpecific,
    /// Generic data: components as `Value` elements.
    Generic,
}

/// What a data message holds besides its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// `detail`.
    pub detail: Detail,
    /// `dimensionAtObservation=TIME_PERIOD` (series) rather than `AllDimensions` (flat).
    pub series_by_time: bool,
}

const MESSAGE_NS: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
const COMMON_NS: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";

fn structure_id(context: &Context) -> String {
    format!("{}_{DSD}_{}", context.agency, VERSION.replace('.', "_"))
}

fn observation_dimension(shape: Shape) -> &'static str {
    if shape.series_by_time {
        TIME_PERIOD
    } else {
        "AllDimensions"
    }
}

/// Everything before the first series.
pub fn start(kind: XmlKind, context: &Context, shape: Shape) -> String {
    let id = structure_id(context);
    let at_obs = observation_dimension(shape);
    let namespace = format!(
        "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={}:{DSD}({VERSION}):ObsLevelDim:{at_obs}",
        context.agency
    );
    let mut out = String::from(DECLARATION);
    match kind {
        XmlKind::StructureSpecific => open(
            &mut out,
            "mes:StructureSpecificData",
            &[
                ("xmlns:mes", MESSAGE_NS),
                ("xmlns:com", COMMON_NS),
                ("xmlns:ss", "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xmlns:ns1", &namespace),
            ],
        ),
        XmlKind::Generic => open(
            &mut out,
            "mes:GenericData",
            &[
                ("xmlns:mes", MESSAGE_NS),
                ("xmlns:com", COMMON_NS),
                ("xmlns:gen", "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"),
            ],
        ),
    }
    header(&mut out, context, |out| {
        let mut attributes = vec![("structureID", id.as_str())];
        if kind == XmlKind::StructureSpecific {
            attributes.push(("namespace", &namespace));
        }
        attributes.push(("dimensionAtObservation", at_obs));
        open(out, "mes:Structure", &attributes);
        open(out, "com:Structure", &[]);
        empty(out, "Ref", &[("agencyID", &context.agency), ("id", DSD), ("version", VERSION)]);
        close(out, "com:Structure");
        close(out, "mes:Structure");
    });
    match kind {
        XmlKind::StructureSpecific => open(
            &mut out,
            "mes:DataSet",
            &[
                ("ss:structureRef", &id),
                ("xsi:type", "ns1:DataSetType"),
                ("ss:dataScope", "DataStructure"),
                ("action", "Information"),
            ],
        ),
        XmlKind::Generic => open(&mut out, "mes:DataSet", &[("structureRef", &id), ("action", "Information")]),
    }
    out
}

/// Everything after the last series.
pub fn end(kind: XmlKind) -> String {
    let mut out = String::new();
    close(&mut out, "mes:DataSet");
    close(&mut out, if kind == XmlKind::StructureSpecific { "mes:StructureSpecificData" } else { "mes:GenericData" });
    out
}

/// A series' key and (when `shape` asks for attributes) its attributes, as (id, value) pairs.
struct Parts<'a> {
    key: Vec<(&'static str, &'a str)>,
    series_attributes: Vec<(&'static str, &'a str)>,
}

fn parts(series: &Series, shape: Shape) -> Parts<'_> {
    let key = DIMENSIONS.iter().copied().zip(series.key_values()).collect();
    let series_attributes =
        if shape.detail.attributes() { vec![(SERIES_ATTRIBUTES[0], series.unit)] } else { Vec::new() };
    Parts { key, series_attributes }
}

fn obs_attributes(obs: &super::series::Obs, shape: Shape) -> Vec<(&'static str, &str)> {
    if !shape.detail.attributes() {
        return Vec::new();
    }
    OBS_ATTRIBUTES.iter().copied().zip(&obs.attributes).filter_map(|(id, v)| v.as_deref().map(|v| (id, v))).collect()
}

/// The series, in the message's form.
pub fn series(kind: XmlKind, all: &[Series], shape: Shape) -> String {
    let mut out = String::new();
    for series in all {
        match kind {
            XmlKind::StructureSpecific => structure_specific(&mut out, series, shape),
            XmlKind::Generic => generic(&mut out, series, shape),
        }
    }
    out
}

fn structure_specific(out: &mut String, series: &Series, shape: Shape) {
    let parts = parts(series, shape);
    let observations = if shape.detail.observations() { series.observations.as_slice() } else { &[] };
    if !shape.series_by_time {
        for obs in observations {
            let (year, value) = (obs.year.to_string(), obs.value.to_string());
            let mut attributes = parts.key.clone();
            attributes.extend([(TIME_PERIOD, year.as_str()), (OBS_VALUE, value.as_str())]);
            attributes.extend(parts.series_attributes.iter().copied());
            attributes.extend(obs_attributes(obs, shape));
            empty(out, "Obs", &attributes);
        }
        return;
    }
    let mut attributes = parts.key.clone();
    attributes.extend(parts.series_attributes.iter().copied());
    open(out, "Series", &attributes);
    for obs in observations {
        let (year, value) = (obs.year.to_string(), obs.value.to_string());
        let mut attributes = vec![(TIME_PERIOD, year.as_str()), (OBS_VALUE, value.as_str())];
        attributes.extend(obs_attributes(obs, shape));
        empty(out, "Obs", &attributes);
    }
    close(out, "Series");
}

fn values(out: &mut String, element: &str, pairs: &[(&str, &str)]) {
    if pairs.is_empty() {
        return;
    }
    open(out, element, &[]);
    for (id, value) in pairs {
        empty(out, "gen:Value", &[("id", id), ("value", value)]);
    }
    close(out, element);
}

fn generic(out: &mut String, series: &Series, shape: Shape) {
    let parts = parts(series, shape);
    let observations = if shape.detail.observations() { series.observations.as_slice() } else { &[] };
    if !shape.series_by_time {
        for obs in observations {
            let year = obs.year.to_string();
            let mut key = parts.key.clone();
            key.push((TIME_PERIOD, year.as_str()));
            open(out, "gen:Obs", &[]);
            values(out, "gen:ObsKey", &key);
            empty(out, "gen:ObsValue", &[("value", &obs.value.to_string())]);
            let mut attributes = parts.series_attributes.clone();
            attributes.extend(obs_attributes(obs, shape));
            values(out, "gen:Attributes", &attributes);
            close(out, "gen:Obs");
        }
        return;
    }
    open(out, "gen:Series", &[]);
    values(out, "gen:SeriesKey", &parts.key);
    values(out, "gen:Attributes", &parts.series_attributes);
    for obs in observations {
        open(out, "gen:Obs", &[]);
        empty(out, "gen:ObsDimension", &[("value", &obs.year.to_string())]);
        empty(out, "gen:ObsValue", &[("value", &obs.value.to_string())]);
        values(out, "gen:Attributes", &obs_attributes(obs, shape));
        close(out, "gen:Obs");
    }
    close(out, "gen:Series");
}
