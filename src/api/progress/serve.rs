//! Serving a computed answer: 304 on a matching ETag, the cached bytes, or one computation
//! off the async workers, cached by data version.

use super::params::{ProgressParams, Provenance};
use crate::api::respond;
use crate::db::{dataset, write};
use crate::domain::language::Language;
use crate::domain::tracking::{DataSet, Inputs, Options};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::sync::Arc;

/// What a computed answer is: its cache scope (everything that selects it besides the
/// options, language and data version), its query and its language.
pub struct Request {
    /// e.g. `target:1.2`.
    pub scope: String,
    /// The query.
    pub params: ProgressParams,
    /// The checked options.
    pub options: Options,
    /// The language of the texts, for localised answers.
    pub language: Option<Language>,
}

/// Serves a computed JSON answer (see [`serve_as`]).
pub(super) async fn serve<F, T>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    request: Request,
    compute: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Inputs, Provenance) -> Result<T, ApiError> + Send + 'static,
    T: Serialize,
{
    serve_as(req, state, request, respond::JSON, move |inputs, provenance| {
        serde_json::to_vec(&compute(inputs, provenance)?).map_err(ApiError::internal)
    })
    .await
}

/// Serves a computed answer of any media type: 304 on a matching ETag without computing, the
/// cached bytes when present, otherwise computes off the async workers and caches.
pub async fn serve_as<F>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    request: Request,
    content_type: &'static str,
    compute: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Inputs, Provenance) -> Result<Vec<u8>, ApiError> + Send + 'static,
{
    let key_for = |version: i64| {
        format!(
            "{}|{:?}|{:?}|{:?}|v{version}|{}",
            request.scope,
            request.options,
            request.params.as_of.map(|t| t.timestamp_micros()),
            request.language,
            env!("CARGO_PKG_VERSION"),
        )
    };
    let version = match state.progress.known_version(&state.db) {
        Some(version) => version,
        None => {
            let shared = state.get_ref().clone();
            state.db.read(move |conn| shared.progress.data_version(&shared.db, conn)).await?
        }
    };
    let key = key_for(version);
    let etag = respond::etag_of(key.as_bytes());
    if respond::matches_etag(req, &etag) {
        return Ok(respond::tagged_as(req, request.language, &etag, Bytes::new(), content_type));
    }
    if let Some(body) = state.progress.answer(&key) {
        return Ok(respond::tagged_as(req, request.language, &etag, body, content_type));
    }
    let shared = state.get_ref().clone();
    let (options, as_of) = (request.options, request.params.as_of);
    let (version, body) = actix_web::web::block(move || -> Result<(i64, Bytes), ApiError> {
        let mut conn = shared.db.get()?;
        let (version, data): (i64, Arc<DataSet>) = match as_of {
            Some(at) => (write::current_version(&mut conn)?, Arc::new(dataset::as_of(&mut conn, at.naive_utc())?)),
            None => shared.progress.current(&mut conn)?,
        };
        drop(conn);
        let provenance = Provenance {
            method: options.method,
            estimation: options.estimation,
            carry_forward: Provenance::carried_years(&options.estimation),
            min_coverage: options.min_coverage,
            min_reported: options.min_reported,
            as_of,
            as_of_year: options.as_of_year,
            data_version: version,
            values: data.len(),
            weights: "population".into(),
        };
        let inputs = Inputs { catalogue: &shared.catalogue, data: &data, options };
        Ok((version, Bytes::from(compute(inputs, provenance)?)))
    })
    .await??;
    let key = key_for(version);
    let etag = respond::etag_of(key.as_bytes());
    state.progress.store(key, version, body.clone());
    Ok(respond::tagged_as(req, request.language, &etag, body, content_type))
}
