//! The SDMX-ML 2.1 structure message: dataflow, code lists, concept scheme and data structure
//! definition, in the order the schema lists them.

use super::structure::{
    concepts, Attachment, Codelist, Component, Name, Representation, Selection, ATTRIBUTE_COMPONENTS,
    DIMENSION_COMPONENTS, MEASURE_COMPONENT,
};
use super::xml::{close, empty, open, text, DECLARATION};
use super::{Context, CONCEPT_SCHEME, DATAFLOW, DSD, VERSION};

const MESSAGE_NS: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
const STRUCTURE_NS: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure";
const COMMON_NS: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";

/// The header every SDMX-ML message starts with (`mes:` prefix); `structure` is written
/// inside it, after the sender.
pub fn header(out: &mut String, context: &Context, structure: impl FnOnce(&mut String)) {
    open(out, "mes:Header", &[]);
    text(out, "mes:ID", &[], &context.message_id());
    text(out, "mes:Test", &[], "false");
    text(out, "mes:Prepared", &[], &context.prepared);
    empty(out, "mes:Sender", &[("id", &context.agency)]);
    structure(out);
    close(out, "mes:Header");
}

fn urn(class: &str, agency: &str, id: &str) -> String {
    format!("urn:sdmx:org.sdmx.infomodel.{class}={agency}:{id}({VERSION})")
}

fn names(out: &mut String, name: &Name) {
    text(out, "com:Name", &[("xml:lang", "en")], &name.en);
    if let Some(zh) = &name.zh {
        text(out, "com:Name", &[("xml:lang", "zh")], zh);
    }
}

fn maintainable(out: &mut String, element: &str, id: &str, agency: &str, class: &str, name: &Name) {
    let urn = urn(class, agency, id);
    open(out, element, &[("id", id), ("urn", &urn), ("agencyID", agency), ("version", VERSION), ("isFinal", "true")]);
    names(out, name);
}

fn reference(out: &mut String, wrapper: &str, attributes: &[(&str, &str)]) {
    open(out, wrapper, &[]);
    empty(out, "Ref", attributes);
    close(out, wrapper);
}

fn concept_identity(out: &mut String, agency: &str, id: &str) {
    let attributes = [
        ("id", id),
        ("maintainableParentID", CONCEPT_SCHEME),
        ("maintainableParentVersion", VERSION),
        ("agencyID", agency),
        ("package", "conceptscheme"),
        ("class", "Concept"),
    ];
    reference(out, "str:ConceptIdentity", &attributes);
}

fn representation(out: &mut String, agency: &str, representation: Representation) {
    open(out, "str:LocalRepresentation", &[]);
    match representation {
        Representation::Coded(list) => {
            let attributes = [
                ("id", list),
                ("version", VERSION),
                ("agencyID", agency),
                ("package", "codelist"),
                ("class", "Codelist"),
            ];
            reference(out, "str:Enumeration", &attributes);
        }
        Representation::Text(kind) => empty(out, "str:TextFormat", &[("textType", kind)]),
    }
    close(out, "str:LocalRepresentation");
}

fn component(out: &mut String, agency: &str, element: &str, c: &Component, position: Option<usize>) {
    let position = position.map(|p| p.to_string());
    let urn = format!("urn:sdmx:org.sdmx.infomodel.datastructure.{}={agency}:{DSD}({VERSION}).{}", &element[4..], c.id);
    let mut attributes = vec![("id", c.id), ("urn", urn.as_str())];
    if let Some(position) = &position {
        attributes.push(("position", position));
    }
    open(out, element, &attributes);
    concept_identity(out, agency, c.id);
    representation(out, agency, c.representation);
}

fn data_structure(out: &mut String, agency: &str) {
    open(out, "str:DataStructures", &[]);
    maintainable(out, "str:DataStructure", DSD, agency, "datastructure.DataStructure", &flow_name());
    open(out, "str:DataStructureComponents", &[]);
    open(out, "str:DimensionList", &[("id", "DimensionDescriptor")]);
    for (n, c) in DIMENSION_COMPONENTS.iter().enumerate() {
        let element = if c.id == super::TIME_PERIOD { "str:TimeDimension" } else { "str:Dimension" };
        component(out, agency, element, c, Some(n + 1));
        close(out, element);
    }
    close(out, "str:DimensionList");
    open(out, "str:AttributeList", &[("id", "AttributeDescriptor")]);
    for (c, attachment) in &ATTRIBUTE_COMPONENTS {
        let urn = format!("urn:sdmx:org.sdmx.infomodel.datastructure.DataAttribute={agency}:{DSD}({VERSION}).{}", c.id);
        open(out, "str:Attribute", &[("id", c.id), ("urn", &urn), ("assignmentStatus", "Conditional")]);
        concept_identity(out, agency, c.id);
        representation(out, agency, c.representation);
        open(out, "str:AttributeRelationship", &[]);
        match attachment {
            Attachment::Series => {
                for d in super::DIMENSIONS {
                    reference(out, "str:Dimension", &[("id", d)]);
                }
            }
            Attachment::Observation => reference(out, "str:PrimaryMeasure", &[("id", super::OBS_VALUE)]),
        }
        close(out, "str:AttributeRelationship");
        close(out, "str:Attribute");
    }
    close(out, "str:AttributeList");
    open(out, "str:MeasureList", &[("id", "MeasureDescriptor")]);
    component(out, agency, "str:PrimaryMeasure", &MEASURE_COMPONENT, None);
    close(out, "str:PrimaryMeasure");
    close(out, "str:MeasureList");
    close(out, "str:DataStructureComponents");
    close(out, "str:DataStructure");
    close(out, "str:DataStructures");
}

/// The name of the dataflow and of its data structure definition.
fn flow_name() -> Name {
    Name { en: "Connect 2030 indicators".into(), zh: Some("连通2030指标".into()) }
}

/// A structure message holding the selected artefacts.
pub fn message(context: &Context, selection: &Selection, lists: &[Codelist]) -> String {
    let agency = context.agency.as_str();
    let mut out = String::from(DECLARATION);
    open(
        &mut out,
        "mes:Structure",
        &[("xmlns:mes", MESSAGE_NS), ("xmlns:str", STRUCTURE_NS), ("xmlns:com", COMMON_NS)],
    );
    header(&mut out, context, |_| {});
    open(&mut out, "mes:Structures", &[]);
    if selection.dataflow {
        open(&mut out, "str:Dataflows", &[]);
        maintainable(&mut out, "str:Dataflow", DATAFLOW, agency, "datastructure.Dataflow", &flow_name());
        let attributes = [
            ("id", DSD),
            ("version", VERSION),
            ("agencyID", agency),
            ("package", "datastructure"),
            ("class", "DataStructure"),
        ];
        reference(&mut out, "str:Structure", &attributes);
        close(&mut out, "str:Dataflow");
        close(&mut out, "str:Dataflows");
    }
    let chosen: Vec<&Codelist> = lists.iter().filter(|l| selection.codelists.contains(&l.id)).collect();
    if !chosen.is_empty() {
        open(&mut out, "str:Codelists", &[]);
        for list in chosen {
            maintainable(&mut out, "str:Codelist", list.id, agency, "codelist.Codelist", &list.name);
            for code in &list.codes {
                let urn =
                    format!("urn:sdmx:org.sdmx.infomodel.codelist.Code={agency}:{}({VERSION}).{}", list.id, code.id);
                open(&mut out, "str:Code", &[("id", &code.id), ("urn", &urn)]);
                names(&mut out, &code.name);
                close(&mut out, "str:Code");
            }
            close(&mut out, "str:Codelist");
        }
        close(&mut out, "str:Codelists");
    }
    if selection.concept_scheme {
        open(&mut out, "str:Concepts", &[]);
        let name = Name { en: "Connect 2030 concepts".into(), zh: Some("连通2030概念".into()) };
        maintainable(&mut out, "str:ConceptScheme", CONCEPT_SCHEME, agency, "conceptscheme.ConceptScheme", &name);
        for c in concepts() {
            let urn = format!(
                "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={agency}:{CONCEPT_SCHEME}({VERSION}).{}",
                c.id
            );
            open(&mut out, "str:Concept", &[("id", c.id), ("urn", &urn)]);
            names(&mut out, &Name { en: c.en.into(), zh: Some(c.zh.into()) });
            close(&mut out, "str:Concept");
        }
        close(&mut out, "str:ConceptScheme");
        close(&mut out, "str:Concepts");
    }
    if selection.dsd {
        data_structure(&mut out, agency);
    }
    close(&mut out, "mes:Structures");
    close(&mut out, "mes:Structure");
    out
}
