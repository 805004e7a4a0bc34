//! API keys and the callers they identify.
//!
//! Keys are 32 random bytes, hex-encoded behind the recognisable prefix `c2030_`, shown once
//! and stored only as a SHA-256 hash (enough for high-entropy keys; argon2 is for passwords).

use crate::db::reporters::{self, StoredKey};
use crate::db::write::Actor;
use crate::error::ApiError;
use crate::state::metrics::Metrics;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use subtle::ConstantTimeEq;

/// Every key starts with this, so a leaked key is recognisable (e.g. by secret scanners).
pub const KEY_PREFIX: &str = "c2030_";
/// Characters of a key kept in clear to identify it (`c2030_` and 8 hex digits).
pub const DISPLAY_PREFIX_LEN: usize = KEY_PREFIX.len() + 8;

/// A freshly generated key: the secret (shown once) and what is stored.
pub struct GeneratedKey {
    /// The full key. Never logged, never stored.
    pub secret: String,
    /// Its identifying prefix and hash, what the database keeps.
    pub stored: StoredKey,
}

impl std::fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey").field("stored", &self.stored).field("secret", &"<redacted>").finish()
    }
}

/// Generates a new key.
pub fn generate_key() -> GeneratedKey {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{KEY_PREFIX}{}", hex::encode(bytes));
    let stored = StoredKey { prefix: secret[..DISPLAY_PREFIX_LEN].to_string(), hash: hash_key(&secret) };
    GeneratedKey { secret, stored }
}

/// The stored form of a key.
pub fn hash_key(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Who is calling, as established from a valid, unrevoked key.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The reporter.
    pub reporter_id: i64,
    /// The reporter's name.
    pub reporter_name: String,
    /// The key used.
    pub key_id: i64,
    /// The member state the reporter belongs to (none for the secretariat).
    pub country: Option<String>,
    /// Secretariat administrators may write any country and manage reporters.
    pub is_admin: bool,
}

impl Caller {
    /// The caller as recorded with its changes.
    pub fn actor(&self) -> Actor {
        Actor { reporter_id: self.reporter_id, key_id: self.key_id }
    }

    /// Whether this caller may write data of a country.
    pub fn may_write(&self, country: &str) -> bool {
        self.is_admin || self.country.as_deref() == Some(country)
    }

    /// Fails with 403 unless the caller is an administrator.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin {
            Ok(())
        } else {
            Err(ApiError::new(StatusCode::FORBIDDEN, "admin_required", "this action needs an administrator key"))
        }
    }
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
}

/// Reads the bearer key of a request (parse at the edge: a malformed header is a 401).
fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("send `Authorization: Bearer <key>`"))?
        .to_str()
        .map_err(|_| unauthorized("the Authorization header is not readable text"))?;
    let (scheme, key) = value.trim().split_once(' ').ok_or_else(|| unauthorized("expected `Bearer <key>`"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || key.trim().is_empty() {
        return Err(unauthorized("expected `Bearer <key>`"));
    }
    Ok(key.trim().to_string())
}

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let is_write = !matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD);
        Box::pin(async move {
            let key = key?;
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
            let hash = hash_key(&key);
            let lookup = hash.clone();
            let found =
                state.db.read(move |conn| reporters::find_active_key(conn, &lookup)).await.map_err(ApiError::from)?;
            let caller = match found {
                Some(key) if bool::from(key.hash.as_bytes().ct_eq(hash.as_bytes())) => Caller {
                    reporter_id: key.reporter_id,
                    reporter_name: key.reporter_name,
                    key_id: key.key_id,
                    country: key.country,
                    is_admin: key.is_admin,
                },
                _ => return Err(unauthorized("unknown or revoked key").into()),
            };
            if is_write {
                if let Err(seconds) = state.write_limiter.check(caller.key_id) {
                    Metrics::add(&state.metrics.rate_limited, 1);
                    return Err(ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        format!("this key sent too many writes; retry in {seconds} s"),
                    )
                    .with_retry_after(seconds)
                    .into());
                }
            }
            Ok(caller)
        })
    }
}

/// A caller holding an administrator key: 403 `admin_required` for any other valid key.
pub struct Admin(pub Caller);

impl FromRequest for Admin {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            caller.require_admin()?;
            Ok(Self(caller))
        })
    }
}

/// A caller (`C`: any [`Caller`], or an [`Admin`]), then the rest of the request (`T`: body,
/// query, path), extracted in that order so that a request without a valid key is a 401, and
/// one without the right key a 403, whatever else is wrong with it: a body is never read
/// before its sender is allowed to send it.
pub struct Authenticated<T, C = Caller>(pub C, pub T);

impl<T: FromRequest + 'static, C: FromRequest + 'static> FromRequest for Authenticated<T, C> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = C::from_request(req, payload);
        let (req, mut payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let caller = caller.await.map_err(Into::into)?;
            let rest = T::from_request(&req, &mut payload).await.map_err(Into::into)?;
            Ok(Self(caller, rest))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_prefixed_random_and_stored_only_as_hashes() {
        let a = generate_key();
        let b = generate_key();
        assert!(a.secret.starts_with(KEY_PREFIX));
        assert_eq!(a.secret.len(), KEY_PREFIX.len() + 64);
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with(&a.stored.prefix));
        assert_eq!(a.stored.hash, hash_key(&a.secret));
        assert!(!a.stored.hash.contains(&a.secret[KEY_PREFIX.len()..]));
        assert!(!format!("{a:?}").contains(&a.secret));
    }
}
