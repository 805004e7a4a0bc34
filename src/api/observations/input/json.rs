//! A JSON batch, read item by item: each item becomes a row (or a problem) as soon as it is
//! read, so a big batch never sits in memory as one JSON tree beside its rows.

use super::{too_many_rows, Parsed, MAX_ROWS};
use crate::domain::observation::{RawRow, RawValue};
use crate::error::{ApiError, FieldError};
use serde::de::{self, DeserializeSeed};
use serde_json::Value;
use std::collections::BTreeMap;

/// Reads `{"observations": [...]}` item by item: each item becomes a row (or a problem) as soon
/// as it is read, so a big batch never sits in memory as one JSON tree beside its rows.
pub(super) fn parse(body: &[u8]) -> Result<Parsed, ApiError> {
    let mut reader = JsonBatch { parsed: Parsed::default(), refusal: None };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let read = (&mut reader).deserialize(&mut deserializer).and_then(|()| deserializer.end());
    match (read, reader.refusal) {
        (_, Some(refusal)) => Err(refusal),
        (Err(e), None) => Err(ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}"))),
        (Ok(()), None) => Ok(reader.parsed),
    }
}

/// The rows read so far, and why the batch was refused as a whole, if it was.
struct JsonBatch {
    parsed: Parsed,
    refusal: Option<ApiError>,
}

impl JsonBatch {
    /// Records why the whole batch is refused, and stops the reading.
    fn refuse<E: de::Error>(&mut self, refusal: ApiError) -> E {
        self.refusal = Some(refusal);
        E::custom("refused")
    }

    fn push(&mut self, index: usize, item: Value) {
        match item {
            Value::Object(object) => {
                let fields = object.into_iter().map(|(name, value)| (name, raw_value(value))).collect();
                self.parsed.rows.push(RawRow { index, fields });
            }
            _ => self.parsed.errors.push(FieldError::row(
                index,
                "observations",
                "invalid_type",
                "each observation must be an object",
            )),
        }
    }
}

impl<'de> de::DeserializeSeed<'de> for &mut JsonBatch {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for &mut JsonBatch {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object {\"observations\": [...]}")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key != "observations" {
                return Err(self.refuse(ApiError::bad_request(
                    "invalid_json",
                    format!("unknown top-level field `{key}`: expected {{\"observations\": [...]}}"),
                )));
            }
            if seen {
                return Err(self.refuse(ApiError::bad_request(
                    "duplicate_key",
                    "the top-level field `observations` appears twice: send every row in one array",
                )));
            }
            seen = true;
            map.next_value_seed(Items(&mut *self))?;
        }
        if seen {
            Ok(())
        } else {
            Err(self.refuse(not_an_array()))
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.refuse(not_an_object()))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.refuse(not_an_object()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.refuse(not_an_object()))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.refuse(not_an_object()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.refuse(not_an_object()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.refuse(not_an_object()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.refuse(not_an_object()))
    }
}

fn not_an_object() -> ApiError {
    ApiError::bad_request("invalid_json", "expected an object {\"observations\": [...]}")
}

fn not_an_array() -> ApiError {
    ApiError::bad_request("invalid_json", "`observations` must be an array")
}

/// The `observations` array, item by item.
struct Items<'a>(&'a mut JsonBatch);

impl<'de> de::DeserializeSeed<'de> for Items<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of observations")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0;
        let mut repeated = None;
        loop {
            let item = match items.next_element_seed(Unique { repeated: &mut repeated }) {
                Ok(Some(item)) => item,
                Ok(None) => return Ok(()),
                Err(e) => {
                    return Err(match repeated {
                        Some(name) => self.0.refuse(ApiError::bad_request(
                            "duplicate_key",
                            format!("observation {index}: the member `{name}` appears twice: send each field once"),
                        )),
                        None => e,
                    })
                }
            };
            if index == MAX_ROWS {
                return Err(self.0.refuse(too_many_rows()));
            }
            self.0.push(index, item);
            index += 1;
        }
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.refuse(not_an_array()))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.0.refuse(not_an_array()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.0.refuse(not_an_array()))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.0.refuse(not_an_array()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.0.refuse(not_an_array()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.0.refuse(not_an_array()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.0.refuse(not_an_array()))
    }
}

/// A JSON value read as [`Value`] would be, except that an object naming a member twice is
/// refused (serde_json keeps the last one silently): the name is left in `repeated`.
struct Unique<'a> {
    repeated: &'a mut Option<String>,
}

impl<'de> de::DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(Unique { repeated: &mut *self.repeated })?;
            if object.contains_key(&name) {
                *self.repeated = Some(name);
                return Err(de::Error::custom("repeated member"));
            }
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Unique { repeated: &mut *self.repeated })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_string()))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        // Always a number: serde_json refuses non-finite numbers while parsing.
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

fn raw_value(value: Value) -> RawValue {
    match value {
        Value::Null => RawValue::Empty,
        Value::String(s) => RawValue::Text(s),
        // serde_json refuses numbers beyond f64 (e.g. 1e400) while parsing, so this is finite.
        Value::Number(n) => RawValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => RawValue::Bool(b),
        Value::Object(map) => {
            let mut pairs = BTreeMap::new();
            for (k, v) in map {
                match v {
                    Value::String(s) => pairs.insert(k, s),
                    _ => return RawValue::Other("an object whose values are not all strings"),
                };
            }
            RawValue::Object(pairs)
        }
        Value::Array(_) => RawValue::Other("an array"),
    }
}
