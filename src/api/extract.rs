//! Request extractors and the extractor error handlers that keep every error problem+json.

use super::respond;
use crate::domain::language::Language;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{error, web, FromRequest, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Utc};
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt::Display;
use std::future::{ready, Ready};
use std::str::FromStr;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::{Object, Required, Type};
use utoipa::{IntoParams, ToSchema};

/// A read answered in the negotiated language: the request (its entity tag is checked
/// against it), the shared state, and the language `Accept-Language` asks for. As a
/// `utoipa::path` parameter, it documents that header.
pub struct LocalisedRead {
    /// The request.
    pub req: HttpRequest,
    /// The shared state.
    pub state: web::Data<AppState>,
    /// The language negotiated from `Accept-Language` (English by default).
    pub language: Language,
}

impl LocalisedRead {
    /// `body` as JSON in this language, tagged (see [`respond::json`]).
    pub fn json<T: Serialize>(&self, body: &T) -> HttpResponse {
        respond::json(&self.req, Some(self.language), body)
    }
}

impl IntoParams for LocalisedRead {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![optional_header("Accept-Language", "`zh` for Chinese; English otherwise")]
    }
}

/// An optional text header, as `("Name" = Option<String>, Header, description = …)` in a
/// `utoipa::path` documents it.
pub fn optional_header(name: &str, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .description(Some(description))
        .required(Required::False)
        .schema(Some(Object::with_type(SchemaType::from_iter([Type::String, Type::Null]))))
        .build()
}

impl FromRequest for LocalisedRead {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let language = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Language::negotiate)
            .unwrap_or_default();
        let read = match req.app_data::<web::Data<AppState>>() {
            Some(state) => Ok(LocalisedRead { req: req.clone(), state: state.clone(), language }),
            None => Err(ApiError::internal(anyhow::anyhow!("the application state is not configured")).into()),
        };
        ready(read)
    }
}

/// Query-string errors as 400 problem+json (actix answers plain text otherwise).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _| ApiError::bad_request("invalid_query", describe(&err.to_string())).into())
}

/// The instants both backends store and RFC 3339 writes (four-digit years).
pub const INSTANTS: &str = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

fn instant<'de, D: Deserializer<'de>>(name: &str, deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<DateTime<Utc>>::deserialize(deserializer)? {
        Some(at) if !(1..=9999).contains(&at.year()) => {
            Err(de::Error::custom(format!("`{name}` must be an RFC 3339 instant from {INSTANTS}, not {at}")))
        }
        at => Ok(at),
    }
}

/// `as_of`: an instant within the range every backend stores.
pub fn as_of<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    instant("as_of", deserializer)
}

/// `changed_since`: an instant within the range every backend stores.
pub fn changed_since<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    instant("changed_since", deserializer)
}

/// An optional number given as text, as in a query string: flattened query structs get every
/// value as text (serde buffers them), so a plain numeric field would refuse `horizon=3`.
pub fn number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    Option::<String>::deserialize(deserializer)?.map(|text| text.parse().map_err(de::Error::custom)).transpose()
}

/// Path errors as 404 problem+json.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _| ApiError::not_found("not_found", err.to_string()).into())
}

/// JSON body errors as problem+json with the right status.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(|err, _| {
        let detail = err.to_string();
        match err {
            error::JsonPayloadError::OverflowKnownLength { .. } | error::JsonPayloadError::Overflow { .. } => {
                ApiError::new(actix_web::http::StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", detail)
            }
            error::JsonPayloadError::ContentType => ApiError::new(
                actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ),
            _ => ApiError::bad_request("invalid_json", detail),
        }
        .into()
    })
}

/// A positive numeric id from a path segment; anything else is an unknown resource (404).
pub fn path_id(raw: &str, code: &'static str) -> Result<i64, ApiError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::not_found(code, format!("no such id `{}`", raw.chars().take(40).collect::<String>())))
}

/// An opaque page cursor, as given in `meta.next_cursor`; its shape is documented so that
/// clients and test generators know it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(pattern = "^6f3a(3[0-9]){1,18}$", example = "6f3a313030")]
pub struct Cursor(String);

impl Cursor {
    /// The cursor of the page that follows the item with this id.
    pub fn after(id: i64) -> String {
        hex::encode(format!("o:{id}"))
    }

    /// The id of the last item of the page this cursor follows.
    pub fn id(&self) -> Result<i64, ApiError> {
        hex::decode(&self.0)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_prefix("o:").and_then(|id| id.parse().ok()))
            .ok_or_else(|| ApiError::bad_request("invalid_cursor", "the cursor is not one this API gave"))
    }
}

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 100;

fn describe(message: &str) -> String {
    // serde_urlencoded's messages are precise but terse; say where they come from.
    format!("invalid query string: {message}")
}
