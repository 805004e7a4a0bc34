//! JSON answers with a strong ETag, so polling clients get 304 for unchanged content, and
//! gzip-compressed when the client accepts it and the answer is worth it.

use super::encoding::{self, Compression};
use crate::domain::language::Language;
use crate::state::answers::Answer;
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
        Ok(bytes) if bytes.len() < GZIP_FROM => tagged(req, language, &etag_of(&bytes), Bytes::from(bytes)),
        Ok(bytes) => compressible(req, language, bytes),
        Err(e) => actix_web::ResponseError::error_response(&crate::error::ApiError::internal(e)),
    }
}

/// Answers smaller than this go out as they are: compressing them saves next to nothing.
const GZIP_FROM: usize = 1024;

/// A JSON answer worth compressing: gzip when the client accepts it (compressed on each
/// request, at the fastest level, and only when not answered 304), under a tag of its own as
/// every encoding is a representation of its own; `Vary: Accept-Encoding` either way.
fn compressible(req: &HttpRequest, language: Option<Language>, bytes: Vec<u8>) -> HttpResponse {
    let gzip = encoding::accepts_gzip(req);
    let etag = Answer::tagged(&etag_of(&bytes), gzip);
    let body = if gzip && !matches_etag(req, &etag) {
        match encoding::gzip(&bytes, Compression::fast()) {
            Ok(compressed) => compressed,
            Err(e) => return actix_web::ResponseError::error_response(&crate::error::ApiError::internal(e)),
        }
    } else {
        Bytes::from(bytes)
    };
    let mut response = tagged(req, language, &etag, body);
    let ok = response.status().is_success();
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if gzip && ok {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
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
