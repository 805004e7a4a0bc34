//! Pure domain code: no actix, no diesel, no I/O.

pub mod catalogue;
pub mod estimation;
pub mod ingest;
pub mod initiative;
pub mod language;
pub mod observation;
pub mod progress;
pub mod tracking;
pub mod validation;

/// Parses a snake_case code into one of the domain's serde enums.
pub fn parse_enum<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    use serde::de::value::{Error, StrDeserializer};
    T::deserialize(StrDeserializer::<Error>::new(text)).ok()
}
