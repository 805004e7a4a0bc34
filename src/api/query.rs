//! One rule for the query string of every operation, read from the specification itself (the
//! one source of truth for which parameters an operation takes and of which type):
//!
//! - an unknown parameter is a 400 `invalid_query` naming it (`errors[].code`
//!   `unknown_parameter`) and listing the valid ones, except the conventional cache-buster `_`,
//!   accepted (and ignored) everywhere;
//! - a value of the wrong type, or an integer outside the range the specification gives (its
//!   `minimum`/`maximum`, else its format's), is a 400 `invalid_query` naming the parameter
//!   (`invalid_parameter`), the expected format or range and an example;
//! - the routes the specification leaves out (the dashboard pages, the shorter SDMX paths)
//!   take the parameters of the documented operation they stand for ([`ALIASES`]), under the
//!   same rule;
//! - booleans take `true`/`false` and `1`/`0`, and small enumerations any letter case: the value
//!   is rewritten to its canonical form before the handler reads it.

use super::extract::INSTANTS;
use crate::error::{ApiError, FieldError};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::middleware::Next;
use actix_web::web;
use chrono::{DateTime, Datelike, Utc};
use std::collections::BTreeMap;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};

/// The code of every query-string problem (each parameter's own code is in `errors`).
const INVALID_QUERY: &str = "invalid_query";

/// The cache-buster dashboards append (`?_=1701388800000`).
pub const CACHE_BUSTER: &str = "_";

/// Parameters an operation reads that the specification leaves out on purpose: SDMX's
/// `includeHistory`, answered 501 when true (see `sdmx::data::DataParams`).
const UNDOCUMENTED: &[(&str, &str, &str, Kind)] =
    &[("GET", "/sdmx/rest/data/{flow}/{key}", "includeHistory", Kind::Boolean)];

/// Undocumented GET routes, the documented operation whose query parameters each takes, and
/// the parameters of that operation it does not take.
const ALIASES: &[(&str, &str, &[&str])] = &[
    ("/", CHART, &["country"]),
    ("/targets/{target}", CHART, &["country"]),
    ("/countries/{iso3}", CHART, &["country"]),
    ("/sdmx/rest/{resource}", STRUCTURES, &[]),
    ("/sdmx/rest/{resource}/{agency}", STRUCTURES, &[]),
    ("/sdmx/rest/{resource}/{agency}/{id}", STRUCTURES, &[]),
    ("/sdmx/rest/data/{flow}", DATA, &[]),
    ("/sdmx/rest/data/{flow}/{key}/{provider}", DATA, &[]),
];
/// The chart takes the pages' query (the progress parameters and `lang`) and `country`.
const CHART: &str = "/api/v1/progress/targets/{target}/chart.svg";
const STRUCTURES: &str = "/sdmx/rest/{resource}/{agency}/{id}/{version}";
const DATA: &str = "/sdmx/rest/data/{flow}/{key}";

/// Enumerations longer than this are code lists (economies, indicators, groups, targets):
/// handlers check those against the catalogue, with their own codes.
const CODE_LIST: usize = 16;

/// What a query parameter holds.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Boolean,
    /// An integer within these bounds.
    Integer(i64, i64),
    Number,
    Instant,
    OneOf(Vec<String>),
    Text,
}

/// The query parameters of every operation, by method and path template.
#[derive(Debug, Clone, Default)]
pub struct QueryRules {
    operations: BTreeMap<(String, String), BTreeMap<String, Kind>>,
}

impl QueryRules {
    /// Reads the query parameters of every operation of a specification.
    pub fn from_openapi(spec: &OpenApi) -> Self {
        let mut operations = BTreeMap::new();
        for (path, item) in &spec.paths.paths {
            let all = [("GET", &item.get), ("POST", &item.post), ("DELETE", &item.delete), ("PUT", &item.put)];
            for (method, operation) in all {
                if let Some(operation) = operation {
                    operations.insert((method.to_string(), path.clone()), parameters(spec, operation));
                }
            }
        }
        for (method, path, name, kind) in UNDOCUMENTED {
            if let Some(parameters) = operations.get_mut(&(method.to_string(), path.to_string())) {
                parameters.insert(name.to_string(), kind.clone());
            }
        }
        for (alias, documented, except) in ALIASES {
            if let Some(parameters) = operations.get(&("GET".to_string(), documented.to_string())) {
                let mut parameters = parameters.clone();
                parameters.retain(|name, _| !except.contains(&name.as_str()));
                operations.insert(("GET".to_string(), alias.to_string()), parameters);
            }
        }
        Self { operations }
    }

    /// The query string an operation's handler should read (canonical values, without `_`),
    /// or the 400 for it. `None` for requests no documented operation takes.
    fn check(&self, method: &str, template: &str, query: &str) -> Option<Result<String, ApiError>> {
        // A HEAD request is the GET without its body.
        let method = if method == "HEAD" { "GET" } else { method };
        let known = self.operations.get(&(method.to_string(), template.to_string()))?;
        let pairs = match web::Query::<Vec<(String, String)>>::from_query(query) {
            Ok(pairs) => pairs.into_inner(),
            Err(error) => {
                return Some(Err(ApiError::bad_request("invalid_query", format!("invalid query string: {error}"))))
            }
        };
        let pairs: Vec<_> = pairs.into_iter().filter(|(name, _)| name != CACHE_BUSTER).collect();
        let unknown: Vec<_> = pairs.iter().map(|(name, _)| name).filter(|name| !known.contains_key(*name)).collect();
        if !unknown.is_empty() {
            return Some(Err(unknown_parameters(&unknown, known)));
        }
        let mut errors = Vec::new();
        let canonical: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(name, value)| match canonical(&known[&name], &value) {
                Ok(value) => (name, value),
                Err(expected) => {
                    let shown: String = value.chars().take(40).collect();
                    errors.push(FieldError::request(
                        &name,
                        "invalid_parameter",
                        format!("`{name}` must be {expected}; got `{shown}`"),
                    ));
                    (name, value)
                }
            })
            .collect();
        if !errors.is_empty() {
            let detail = errors.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>().join("; ");
            return Some(Err(ApiError::bad_request(INVALID_QUERY, detail).with_errors(errors)));
        }
        Some(serde_urlencoded::to_string(canonical).map_err(ApiError::internal))
    }
}

fn unknown_parameters(unknown: &[&String], known: &BTreeMap<String, Kind>) -> ApiError {
    let valid = known.keys().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    let valid = if valid.is_empty() { "none".to_string() } else { valid };
    let errors = unknown
        .iter()
        .map(|name| {
            let shown: String = name.chars().take(40).collect();
            FieldError::request(&shown, "unknown_parameter", format!("unknown query parameter `{shown}`"))
        })
        .collect::<Vec<_>>();
    let names = errors.iter().map(|e| format!("`{}`", e.field)).collect::<Vec<_>>().join(", ");
    ApiError::bad_request(
        INVALID_QUERY,
        format!("unknown query parameter {names}; this operation takes {valid} (and `_`, ignored)"),
    )
    .with_errors(errors)
}

/// The canonical form of a value, or what was expected instead.
fn canonical(kind: &Kind, value: &str) -> Result<String, String> {
    match kind {
        Kind::Boolean => match value.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok("true".into()),
            "false" | "0" => Ok("false".into()),
            _ => Err("a boolean: `true` or `false` (or `1`, `0`)".into()),
        },
        Kind::Integer(min, max) => match value.parse::<i64>() {
            Ok(number) if (*min..=*max).contains(&number) => Ok(value.to_string()),
            _ => Err(format!("an integer from {min} to {max}, e.g. `{}`", 100.clamp(*min, *max))),
        },
        Kind::Number => match value.parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(value.to_string()),
            _ => Err("a number, e.g. `0.5`".into()),
        },
        Kind::Instant => match value.parse::<DateTime<Utc>>() {
            Ok(at) if (1..=9999).contains(&at.year()) => Ok(value.to_string()),
            _ => Err(format!("an RFC 3339 date-time with a time zone from {INSTANTS}, e.g. `2026-11-30T00:00:00Z`")),
        },
        Kind::OneOf(values) => {
            values.iter().find(|candidate| candidate.eq_ignore_ascii_case(value)).cloned().ok_or_else(|| {
                format!("one of {}", values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
            })
        }
        Kind::Text => Ok(value.to_string()),
    }
}

fn parameters(spec: &OpenApi, operation: &Operation) -> BTreeMap<String, Kind> {
    operation
        .parameters
        .iter()
        .flatten()
        .filter(|parameter| parameter.parameter_in == ParameterIn::Query)
        .map(|parameter| (parameter.name.clone(), parameter.schema.as_ref().map_or(Kind::Text, |s| kind(spec, s))))
        .collect()
}

fn kind(spec: &OpenApi, schema: &RefOr<Schema>) -> Kind {
    let schema = match schema {
        RefOr::T(schema) => schema,
        RefOr::Ref(reference) => {
            let name = reference.ref_location.trim_start_matches("#/components/schemas/");
            match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
                Some(schema) => return kind(spec, schema),
                None => return Kind::Text,
            }
        }
    };
    match schema {
        Schema::Object(object) => {
            if let Some(values) = &object.enum_values {
                let values: Vec<String> = values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
                return if values.len() > CODE_LIST { Kind::Text } else { Kind::OneOf(values) };
            }
            let is = |wanted: Type| match &object.schema_type {
                SchemaType::Type(one) => *one == wanted,
                SchemaType::Array(types) => types.contains(&wanted),
                SchemaType::AnyValue => false,
            };
            if is(Type::Boolean) {
                Kind::Boolean
            } else if is(Type::Integer) {
                integer(object)
            } else if is(Type::Number) {
                Kind::Number
            } else if object.format == Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)) {
                Kind::Instant
            } else {
                Kind::Text
            }
        }
        // `Option<Enum>` is documented as `oneOf: [null, {$ref}]`.
        Schema::OneOf(one_of) => {
            one_of.items.iter().map(|item| kind(spec, item)).find(|k| *k != Kind::Text).unwrap_or(Kind::Text)
        }
        Schema::AllOf(all_of) => {
            all_of.items.iter().map(|item| kind(spec, item)).find(|k| *k != Kind::Text).unwrap_or(Kind::Text)
        }
        _ => Kind::Text,
    }
}

/// The bounds of an integer: the specification's `minimum` and `maximum`, else its format's.
fn integer(object: &utoipa::openapi::schema::Object) -> Kind {
    let (low, high) = match &object.format {
        Some(SchemaFormat::KnownFormat(KnownFormat::Int32)) => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN, i64::MAX),
    };
    let bound = |number: &Option<utoipa::Number>, default: i64| match number {
        Some(utoipa::Number::Int(n)) => i64::try_from(*n).unwrap_or(default),
        Some(utoipa::Number::UInt(n)) => i64::try_from(*n).unwrap_or(default),
        Some(utoipa::Number::Float(n)) => *n as i64,
        None => default,
    };
    Kind::Integer(bound(&object.minimum, low).max(low), bound(&object.maximum, high).min(high))
}

/// Middleware: applies the rule to every request a documented operation takes.
pub async fn checked(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let rules = req.app_data::<web::Data<QueryRules>>().cloned();
    let template = req.match_pattern();
    if let (Some(rules), Some(template)) = (rules, template) {
        let query = req.query_string().to_string();
        match rules.check(req.method().as_str(), &template, &query) {
            Some(Err(error)) => return Err(error.into()),
            Some(Ok(canonical)) if canonical != query => {
                let path = req.path().to_string();
                let uri = if canonical.is_empty() { path } else { format!("{path}?{canonical}") };
                if let Ok(uri) = uri.parse::<Uri>() {
                    req.head_mut().uri = uri;
                }
            }
            _ => {}
        }
    }
    next.call(req).await
}
