//! The structural metadata: code lists built from the catalogue, the concept scheme, the
//! components of the data structure definition, and which artefacts a structure query with
//! `references=` returns.

use super::{QueryError, ANNUAL, DATAFLOW, DSD, TOTAL, VERSION};
use crate::domain::catalogue::{Catalogue, Unit};

/// A name in English, and in Chinese where one exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// English.
    pub en: String,
    /// Chinese (the catalogue names economies, groups and indicators in English only).
    pub zh: Option<String>,
}

fn both(en: &str, zh: &str) -> Name {
    Name { en: en.to_string(), zh: Some(zh.to_string()) }
}

fn english(en: &str) -> Name {
    Name { en: en.to_string(), zh: None }
}

/// One code of a code list.
#[derive(Debug, Clone)]
pub struct Code {
    /// The id, the catalogue's own code.
    pub id: String,
    /// Its name.
    pub name: Name,
}

/// A code list.
#[derive(Debug, Clone)]
pub struct Codelist {
    /// e.g. `CL_AREA`.
    pub id: &'static str,
    /// Its name.
    pub name: Name,
    /// Its codes, in catalogue order.
    pub codes: Vec<Code>,
}

/// How a component's values are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// Codes of a code list.
    Coded(&'static str),
    /// Free values of an SDMX text type (`String`, `Double`, `ObservationalTimePeriod`).
    Text(&'static str),
}

/// Where an attribute is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    /// To a series (its value depends on the series key only).
    Series,
    /// To each observation.
    Observation,
}

/// A dimension, attribute or the measure: its id (also its concept's id), names and values.
#[derive(Debug, Clone, Copy)]
pub struct Component {
    /// e.g. `REF_AREA`.
    pub id: &'static str,
    /// English name of the concept.
    pub en: &'static str,
    /// Chinese name of the concept.
    pub zh: &'static str,
    /// Its values.
    pub representation: Representation,
}

const fn component(id: &'static str, en: &'static str, zh: &'static str, representation: Representation) -> Component {
    Component { id, en, zh, representation }
}

/// The dimensions, in key order, then the time dimension.
pub const DIMENSION_COMPONENTS: [Component; 6] = [
    component("FREQ", "Frequency", "频率", Representation::Coded("CL_FREQ")),
    component("REF_AREA", "Reference area", "参考区域", Representation::Coded("CL_AREA")),
    component("INDICATOR", "Indicator", "指标", Representation::Coded("CL_INDICATOR")),
    component("SEX", "Sex", "性别", Representation::Coded("CL_SEX")),
    component("URBANISATION", "Degree of urbanisation", "城市化程度", Representation::Coded("CL_URBANISATION")),
    component("TIME_PERIOD", "Time period", "时间段", Representation::Text("ObservationalTimePeriod")),
];

/// The attributes with their attachment.
pub const ATTRIBUTE_COMPONENTS: [(Component, Attachment); 6] = [
    (
        component("UNIT_MEASURE", "Unit of measure", "计量单位", Representation::Coded("CL_UNIT_MEASURE")),
        Attachment::Series,
    ),
    (
        component("OBS_STATUS", "Observation status", "观测状态", Representation::Coded("CL_OBS_STATUS")),
        Attachment::Observation,
    ),
    (component("NATURE", "Nature of data", "数据性质", Representation::Coded("CL_NATURE")), Attachment::Observation),
    (component("SOURCE_DETAIL", "Source details", "来源详情", Representation::Text("String")), Attachment::Observation),
    (
        component("COMMENT_OBS", "Observation comment", "观测注释", Representation::Text("String")),
        Attachment::Observation,
    ),
    (
        component(
            "EVIDENCE_URL",
            "Evidence (strategy, plan or law)",
            "证据（战略、计划或法律）",
            Representation::Text("String"),
        ),
        Attachment::Observation,
    ),
];

/// The primary measure.
pub const MEASURE_COMPONENT: Component =
    component("OBS_VALUE", "Observation value", "观测值", Representation::Text("Double"));

/// Every concept, in the order the concept scheme lists them.
pub fn concepts() -> Vec<Component> {
    let mut all = DIMENSION_COMPONENTS.to_vec();
    all.push(MEASURE_COMPONENT);
    all.extend(ATTRIBUTE_COMPONENTS.iter().map(|(c, _)| *c));
    all
}

/// The SDMX code of a unit: the catalogue's own name of it.
pub fn unit_code(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "percent",
        Unit::Per100 => "per_100",
        Unit::Count => "count",
        Unit::Kg => "kg",
        Unit::MtCo2e => "mt_co2e",
        Unit::Ratio => "ratio",
        Unit::Boolean => "boolean",
    }
}

/// The catalogue's `nature` of a value and its code in `CL_NATURE` (as the UN SDG database
/// uses it: C country data, E estimated, M modelled).
pub const NATURES: [(&str, &str); 3] = [("reported", "C"), ("estimated", "E"), ("modelled", "M")];

fn breakdown_name(value: &str) -> Name {
    match value {
        "female" => both("Female", "女性"),
        "male" => both("Male", "男性"),
        "urban" => both("Urban", "城市"),
        "rural" => both("Rural", "农村"),
        other => english(other),
    }
}

/// The codes of a breakdown dimension: the total, then every value the catalogue allows.
fn breakdown_codes(catalogue: &Catalogue, dimension: &str) -> Vec<Code> {
    let mut codes = vec![Code { id: TOTAL.into(), name: both("Total", "合计") }];
    for indicator in &catalogue.indicators {
        for values in indicator.disaggregations.iter().filter(|d| d.dimension == dimension) {
            for value in &values.values {
                if !codes.iter().any(|c| &c.id == value) {
                    codes.push(Code { id: value.clone(), name: breakdown_name(value) });
                }
            }
        }
    }
    codes
}

fn fixed(list: &[(&str, &str, &str)]) -> Vec<Code> {
    list.iter().map(|(id, en, zh)| Code { id: id.to_string(), name: both(en, zh) }).collect()
}

/// Every code list of the data structure, in the order of its components.
pub fn codelists(catalogue: &Catalogue) -> Vec<Codelist> {
    let areas = catalogue
        .economies
        .iter()
        .map(|e| Code { id: e.iso3.clone(), name: english(&e.short_name) })
        .chain(catalogue.groups.iter().map(|g| Code { id: g.code.clone(), name: english(&g.name) }))
        .collect();
    let indicators = catalogue.indicators.iter().map(|i| Code { id: i.code.clone(), name: english(&i.name) }).collect();
    let units = [
        (Unit::Percent, "Percent", "百分比"),
        (Unit::Per100, "Per 100 inhabitants", "每百名居民"),
        (Unit::Count, "Number", "数量"),
        (Unit::Kg, "Kilograms", "千克"),
        (Unit::MtCo2e, "Megatonnes of CO2 equivalent", "百万吨二氧化碳当量"),
        (Unit::Ratio, "Ratio", "比率"),
        (Unit::Boolean, "Yes (1) or no (0)", "是（1）或否（0）"),
    ];
    vec![
        Codelist { id: "CL_FREQ", name: both("Frequency", "频率"), codes: fixed(&[(ANNUAL, "Annual", "年度")]) },
        Codelist { id: "CL_AREA", name: both("Economies and groups", "经济体和组别"), codes: areas },
        Codelist { id: "CL_INDICATOR", name: both("Indicators", "指标"), codes: indicators },
        Codelist { id: "CL_SEX", name: both("Sex", "性别"), codes: breakdown_codes(catalogue, "sex") },
        Codelist {
            id: "CL_URBANISATION",
            name: both("Degree of urbanisation", "城市化程度"),
            codes: breakdown_codes(catalogue, "area"),
        },
        Codelist {
            id: "CL_UNIT_MEASURE",
            name: both("Units of measure", "计量单位"),
            codes: units.iter().map(|(u, en, zh)| Code { id: unit_code(*u).into(), name: both(en, zh) }).collect(),
        },
        Codelist {
            id: "CL_OBS_STATUS",
            name: both("Observation status", "观测状态"),
            codes: fixed(&[
                ("A", "Normal value", "正常值"),
                ("E", "Estimated value", "估计值"),
                ("I", "Imputed value", "插补值"),
            ]),
        },
        Codelist {
            id: "CL_NATURE",
            name: both("Nature of data", "数据性质"),
            codes: fixed(&[
                ("C", "Country data", "国家数据"),
                ("E", "Estimated data", "估计数据"),
                ("M", "Modelled data", "模型数据"),
            ]),
        },
    ]
}

/// The structure resources of the SDMX 2.1 REST interface this service answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `dataflow`.
    Dataflow,
    /// `datastructure`.
    DataStructure,
    /// `conceptscheme`.
    ConceptScheme,
    /// `codelist`.
    Codelist,
}

/// Other structure resources of SDMX 2.1 REST: valid queries, not implemented here (501).
const UNIMPLEMENTED: [&str; 17] = [
    "metadatastructure",
    "metadataflow",
    "provisionagreement",
    "structure",
    "categorisation",
    "categoryscheme",
    "hierarchicalcodelist",
    "organisationscheme",
    "agencyscheme",
    "dataproviderscheme",
    "dataconsumerscheme",
    "organisationunitscheme",
    "contentconstraint",
    "attachmentconstraint",
    "actualconstraint",
    "allowedconstraint",
    "process",
];

impl Resource {
    /// The resource of a path segment; `Ok(None)` for a word SDMX does not know.
    pub fn parse(segment: &str) -> Result<Option<Self>, QueryError> {
        Ok(Some(match segment {
            "dataflow" => Self::Dataflow,
            "datastructure" => Self::DataStructure,
            "conceptscheme" => Self::ConceptScheme,
            "codelist" => Self::Codelist,
            other if UNIMPLEMENTED.contains(&other) => {
                return Err(QueryError::NotImplemented(format!("`{other}` structures are not implemented")))
            }
            _ => return Ok(None),
        }))
    }
}

/// Which artefacts a structure message holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The dataflow.
    pub dataflow: bool,
    /// The data structure definition.
    pub dsd: bool,
    /// The concept scheme.
    pub concept_scheme: bool,
    /// Code list ids.
    pub codelists: Vec<&'static str>,
}

/// A structure query: `/{resource}/{agency}/{id}/{version}?references=…`.
#[derive(Debug, Clone)]
pub struct StructureQuery<'a> {
    /// The resource.
    pub resource: Resource,
    /// `all` or an agency id.
    pub agency: &'a str,
    /// `all` or an artefact id.
    pub id: &'a str,
    /// `all`, `latest` or a version.
    pub version: &'a str,
    /// `none` (default), `parents`, `parentsandsiblings`, `children`, `descendants`, `all`, or
    /// a resource name.
    pub references: &'a str,
}

fn wildcard(value: &str) -> bool {
    matches!(value, "all" | "*" | "latest" | "~" | "+")
}

impl StructureQuery<'_> {
    /// The artefacts the query returns, or why none.
    pub fn select(&self, agency: &str, lists: &[Codelist]) -> Result<Selection, QueryError> {
        let codelist_ids: Vec<&'static str> = lists.iter().map(|l| l.id).collect();
        let matches_id = |id: &str| wildcard(self.id) || id == self.id;
        let mut selection = Selection::default();
        match self.resource {
            Resource::Dataflow => selection.dataflow = matches_id(DATAFLOW),
            Resource::DataStructure => selection.dsd = matches_id(DSD),
            Resource::ConceptScheme => selection.concept_scheme = matches_id(super::CONCEPT_SCHEME),
            Resource::Codelist => {
                selection.codelists = codelist_ids.iter().copied().filter(|id| matches_id(id)).collect()
            }
        }
        let agency_matches = wildcard(self.agency) || self.agency == agency;
        let version_matches = wildcard(self.version) || self.version == VERSION;
        if selection == Selection::default() || !agency_matches || !version_matches {
            return Err(QueryError::NoResults(format!(
                "no {:?} {}/{}/{}",
                self.resource, self.agency, self.id, self.version
            )));
        }
        self.add_references(&mut selection, &codelist_ids)?;
        Ok(selection)
    }

    fn add_references(&self, selection: &mut Selection, codelists: &[&'static str]) -> Result<(), QueryError> {
        let leaf = matches!(self.resource, Resource::Codelist | Resource::ConceptScheme);
        let add_leaves = |s: &mut Selection| {
            s.concept_scheme = true;
            s.codelists = codelists.to_vec();
        };
        match (self.references, self.resource) {
            ("none", _) => {}
            ("children", Resource::Dataflow) => selection.dsd = true,
            ("descendants" | "all", Resource::Dataflow) => {
                selection.dsd = true;
                add_leaves(selection);
            }
            ("children" | "descendants", Resource::DataStructure) => add_leaves(selection),
            ("parents" | "parentsandsiblings", Resource::DataStructure) => selection.dataflow = true,
            ("all", Resource::DataStructure) => {
                selection.dataflow = true;
                add_leaves(selection);
            }
            ("children" | "descendants", _) => {}
            ("parents", _) if leaf => selection.dsd = true,
            ("parentsandsiblings" | "all", _) if leaf => {
                selection.dsd = true;
                add_leaves(selection);
            }
            ("parents" | "parentsandsiblings", Resource::Dataflow) => {}
            (other, _) => match Resource::parse(other) {
                Ok(Some(Resource::Dataflow)) => selection.dataflow = true,
                Ok(Some(Resource::DataStructure)) => selection.dsd = true,
                Ok(Some(Resource::ConceptScheme)) => selection.concept_scheme = true,
                Ok(Some(Resource::Codelist)) => selection.codelists = codelists.to_vec(),
                Ok(None) => return Err(QueryError::Syntax(format!("`references={other}` is not an SDMX value"))),
                Err(error) => return Err(error),
            },
        }
        Ok(())
    }
}
