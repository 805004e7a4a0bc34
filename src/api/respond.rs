//! JSON answers with a strong ETag, so polling clients get 304 for unchanged content.

use crate::domain::language::Language;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A strong entity tag from any bytes that determine the representation.
pub fn etag_of(bytes: &[u8]) -> String {
    format!("\"{}\"", hex::encode(&Sha256::digest(bytes)[..16]))
}

/// Serialises `body` and tags it with an ETag derived from its bytes, so identical data gives
/// identical tags on every instance.
pub fn json<T: Serialize>(req: &HttpRequest, language: Option<Language>, body: &T) -> HttpResponse {
    match serde_json::to_vec(body) {
        Ok(bytes) => tagged(req, language, &etag_of(&bytes), Bytes::from(bytes)),
        Err(e) => actix_web::ResponseError::error_response(&crate::error::ApiError::internal(e)),
    }
}

/// The media type of JSON answers.
pub const JSON: &str = "application/json";

/// Answers `bytes` (JSON) under `etag`, or 304 when the client already holds that tag.
pub fn tagged(req: &HttpRequest, language: Option<Language>, etag: &str, bytes: Bytes) -> HttpResponse {
    tagged_as(req, language, etag, bytes, JSON)
}

/// Answers `bytes` of a media type under `etag`, or 304 when the client already holds that tag.
pub fn tagged_as(
    req: &HttpRequest,
    language: Option<Language>,
    etag: &str,
    bytes: Bytes,
    content_type: &str,
) -> HttpResponse {
    let not_modified = matches_etag(req, etag);
    let mut response = if not_modified { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, "no-cache"));
    if let Some(language) = language {
        response
            .insert_header((header::CONTENT_LANGUAGE, language.tag()))
            .insert_header((header::VARY, "Accept-Language"));
    }
    if not_modified {
        return response.finish();
    }
    response.content_type(content_type).body(bytes)
}

/// Whether `If-None-Match` names this tag (or `*`).
pub fn matches_etag(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v: &HeaderValue| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}
