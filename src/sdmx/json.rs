//! SDMX-JSON 1.0 data messages. Series and observations refer to dimension and attribute
//! values by position in the message's own value lists, so the message is built whole (as
//! bytes, the structure written after the data that fills its lists).

use super::series::Series;
use super::structure::{Codelist, Representation, ATTRIBUTE_COMPONENTS, DIMENSION_COMPONENTS};
use super::xml_data::Shape;
use super::{Context, OBS_ATTRIBUTES};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The values a component takes in the message, in order of first appearance.
struct Values {
    ids: Vec<String>,
    position: HashMap<String, usize>,
}

impl Values {
    fn new() -> Self {
        Self { ids: Vec::new(), position: HashMap::new() }
    }

    fn index(&mut self, id: &str) -> usize {
        if let Some(n) = self.position.get(id) {
            return *n;
        }
        self.ids.push(id.to_string());
        self.position.insert(id.to_string(), self.ids.len() - 1);
        self.ids.len() - 1
    }
}

fn name_of(lists: &[Codelist], representation: Representation, id: &str) -> Value {
    let found = match representation {
        Representation::Coded(list) => lists
            .iter()
            .find(|l| l.id == list)
            .and_then(|l| l.codes.iter().find(|c| c.id == id))
            .map(|c| c.name.en.clone()),
        Representation::Text(_) => None,
    };
    Value::String(found.unwrap_or_else(|| id.to_string()))
}

fn component(id: &str, name: &str, position: Option<usize>, role: Option<&str>, values: Vec<Value>) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), id.into());
    object.insert("name".into(), name.into());
    if let Some(position) = position {
        object.insert("keyPosition".into(), position.into());
    }
    object.insert("role".into(), role.map_or(Value::Null, Value::from));
    object.insert("values".into(), values.into());
    Value::Object(object)
}

/// The values of a component: `{id, name}` for codes and dimensions, `{name}` for the free
/// text of an uncoded attribute.
fn coded_values(lists: &[Codelist], representation: Representation, values: &Values, dimension: bool) -> Vec<Value> {
    values
        .ids
        .iter()
        .map(|id| match representation {
            Representation::Text(_) if !dimension => json!({"name": id}),
            _ => json!({"id": id, "name": name_of(lists, representation, id)}),
        })
        .collect()
}

/// Writes `value` as JSON. Writing into a vector only fails for a value JSON cannot
/// represent, and every value here is a string, a number, null or a tree of those.
fn put(out: &mut Vec<u8>, value: &impl serde::Serialize) {
    let _ = serde_json::to_writer(&mut *out, value);
}

/// One observation's cells: the value, then (with attributes) the unit's position in a
/// flat message and the positions of the attributes present in the message.
fn cells(out: &mut Vec<u8>, obs: &super::series::Obs, unit: Option<usize>, present: &[bool], attrs: &mut [Values]) {
    out.push(b'[');
    put(out, &obs.value);
    if let Some(unit) = unit {
        out.push(b',');
        put(out, &unit);
    }
    if !attrs.is_empty() {
        for (n, value) in obs.attributes.iter().enumerate().filter(|(n, _)| present[*n]) {
            out.push(b',');
            put(out, &value.as_deref().map(|v| attrs[n + 1].index(v)));
        }
    }
    out.push(b']');
}

fn joined(positions: impl Iterator<Item = usize>) -> String {
    positions.map(|n| n.to_string()).collect::<Vec<_>>().join(":")
}

/// The whole message, written as it is built: the data set first (filling the value lists
/// as series and observations refer to them), then the structure that lists them. No tree
/// of the message is ever held, only its bytes.
pub fn message(context: &Context, all: &[Series], shape: Shape, lists: &[Codelist]) -> Vec<u8> {
    let detail = shape.detail;
    let mut dims: Vec<Values> = DIMENSION_COMPONENTS.iter().map(|_| Values::new()).collect();
    let mut attrs: Vec<Values> = ATTRIBUTE_COMPONENTS.iter().map(|_| Values::new()).collect();
    // Attribute positions: UNIT_MEASURE first, then the observation attributes.
    // Only attributes with a value somewhere are listed (readers drop the others, which
    // would shift the positions in the observations' arrays).
    let present: Vec<bool> = (0..OBS_ATTRIBUTES.len())
        .map(|n| all.iter().flat_map(|s| &s.observations).any(|o| o.attributes[n].is_some()))
        .collect();
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"header\":");
    put(
        &mut out,
        &json!({"id": context.message_id(), "test": false, "prepared": context.prepared, "sender": {"id": context.agency}}),
    );
    out.extend_from_slice(if shape.series_by_time {
        b",\"dataSets\":[{\"action\":\"Information\",\"series\":{"
    } else {
        b",\"dataSets\":[{\"action\":\"Information\",\"observations\":{"
    });
    let with_attributes = if detail.attributes() { &mut attrs[..] } else { &mut [] };
    let mut first = true;
    for series in all {
        let series_key: Vec<usize> = series.key_values().iter().enumerate().map(|(n, v)| dims[n].index(v)).collect();
        let unit = detail.attributes().then(|| with_attributes[0].index(series.unit));
        if shape.series_by_time {
            if !std::mem::take(&mut first) {
                out.push(b',');
            }
            put(&mut out, &joined(series_key.iter().copied()));
            out.extend_from_slice(b":{\"attributes\":");
            put(&mut out, &unit.map_or_else(Vec::new, |u| vec![u]));
            out.extend_from_slice(b",\"observations\":{");
        }
        let mut first_obs = true;
        for obs in series.observations.iter().filter(|_| detail.observations()) {
            let time = dims[5].index(&obs.year.to_string());
            if shape.series_by_time {
                if !std::mem::take(&mut first_obs) {
                    out.push(b',');
                }
                put(&mut out, &time.to_string());
                out.push(b':');
                cells(&mut out, obs, None, &present, with_attributes);
            } else {
                if !std::mem::take(&mut first) {
                    out.push(b',');
                }
                put(&mut out, &joined(series_key.iter().copied().chain([time])));
                out.push(b':');
                cells(&mut out, obs, unit, &present, with_attributes);
            }
        }
        if shape.series_by_time {
            out.extend_from_slice(b"}}");
        }
    }
    out.extend_from_slice(b"}}],\"structure\":");
    put(&mut out, &structure(shape, lists, &dims, &attrs, &present));
    out.push(b'}');
    out
}

/// The message's structure: its components and the values they take in it.
fn structure(shape: Shape, lists: &[Codelist], dims: &[Values], attrs: &[Values], present: &[bool]) -> Value {
    let detail = shape.detail;
    let dimension = |n: usize| {
        let c = &DIMENSION_COMPONENTS[n];
        let role = (c.id == super::TIME_PERIOD).then_some("time");
        (c.id, c.en, role, coded_values(lists, c.representation, &dims[n], true))
    };
    let mut series_dims = Vec::new();
    let mut obs_dims = Vec::new();
    for n in 0..DIMENSION_COMPONENTS.len() {
        let (id, name, role, values) = dimension(n);
        if shape.series_by_time && n < 5 {
            series_dims.push(component(id, name, Some(n), role, values));
        } else {
            obs_dims.push(component(id, name, Some(n), role, values));
        }
    }
    let attribute = |n: usize| {
        let (c, _) = &ATTRIBUTE_COMPONENTS[n];
        component(c.id, c.en, None, None, coded_values(lists, c.representation, &attrs[n], false))
    };
    let (series_attrs, obs_attrs): (Vec<Value>, Vec<Value>) = if !detail.attributes() {
        (Vec::new(), Vec::new())
    } else if shape.series_by_time {
        (vec![attribute(0)], (1..=OBS_ATTRIBUTES.len()).filter(|n| present[n - 1]).map(attribute).collect())
    } else {
        (Vec::new(), (0..=OBS_ATTRIBUTES.len()).filter(|n| *n == 0 || present[n - 1]).map(attribute).collect())
    };
    json!({
        "name": "Connect 2030 indicators",
        "dimensions": {"dataSet": [], "series": series_dims, "observation": obs_dims},
        "attributes": {"dataSet": [], "series": series_attrs, "observation": obs_attrs},
    })
}
