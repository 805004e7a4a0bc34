//! What a localised progress read takes besides its path (the progress query, `Accept-Language`
//! and `Cache-Control`), read by one extractor and documented by the same type.

use super::estimation::EstimationParams;
use super::params::{ProgressParams, Provenance};
use super::serve::{serve, Request, FRESH_DOC};
use crate::api::extract::{optional_header, LocalisedRead};
use crate::domain::language::Language;
use crate::domain::tracking::Inputs;
use crate::error::ApiError;
use crate::state::progress::Reads;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::IntoParams;

/// The overview, a target or a country, in the negotiated language under the progress query.
/// As a `utoipa::path` parameter, it documents that query and the two headers.
pub struct ProgressRead {
    /// The request.
    pub req: HttpRequest,
    /// The shared state.
    pub state: web::Data<AppState>,
    /// The progress query.
    pub params: ProgressParams,
    /// The language negotiated from `Accept-Language`.
    pub language: Language,
}

impl ProgressRead {
    /// Serves the answer `scope` names, computed in the read's language from the data `reads`
    /// names (see [`serve`]).
    pub async fn serve<F, T>(self, scope: String, reads: Reads, compute: F) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce(Inputs, Provenance, Language) -> Result<T, ApiError> + Send + 'static,
        T: Serialize,
    {
        let Self { req, state, params, language } = self;
        let request = Request { scope, options: params.options()?, params, language: Some(language), reads };
        serve(&req, &state, request, move |inputs, provenance| compute(inputs, provenance, language)).await
    }
}

impl FromRequest for ProgressRead {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let parts = <(LocalisedRead, web::Query<ProgressParams>)>::from_request(req, payload);
        Box::pin(async move {
            let (LocalisedRead { req, state, language }, params) = parts.await?;
            Ok(Self { req, state, params: params.into_inner(), language })
        })
    }
}

impl IntoParams for ProgressRead {
    fn into_params(parameter_in_provider: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = ProgressParams::into_params(&parameter_in_provider);
        params.extend(EstimationParams::into_params(&parameter_in_provider));
        params.push(optional_header("Accept-Language", "`zh` for Chinese texts"));
        params.push(optional_header("Cache-Control", FRESH_DOC));
        params
    }
}
