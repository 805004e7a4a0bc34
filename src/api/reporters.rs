//! Administration (admin key): `POST /reporters`, `GET /reporters`,
//! `POST /reporters/{id}/keys`, `DELETE /keys/{id}`.

use super::extract::{path_id, Cursor};
use super::observations::views::utc;
use crate::api::contract;
use crate::auth::{generate_key, Admin, Authenticated, GeneratedKey};
use crate::db::reporters::{self, KeyRecord, ReporterRecord};
use crate::domain::validation;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new reporter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Kenya National Bureau of Statistics", "country": "KEN"}))]
pub struct NewReporter {
    /// Who reports (e.g. the statistics office or ministry): trimmed of the white space around
    /// it (Unicode `White_Space`), then 1 to 200 characters, without NUL.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    /// The ITU member state it reports for (ISO 3166 alpha-3).
    pub country: String,
}

/// An API key, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    /// Id.
    pub id: i64,
    /// Identifying prefix (the key starts with it).
    pub prefix: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&KeyRecord> for KeyView {
    fn from(key: &KeyRecord) -> Self {
        Self {
            id: key.id,
            prefix: key.prefix.clone(),
            created_at: utc(key.created_at),
            revoked_at: key.revoked_at.map(utc),
        }
    }
}

/// A new key with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedKey {
    /// The key.
    #[serde(flatten)]
    pub key: KeyView,
    /// The secret to send as `Authorization: Bearer <secret>`. It is stored only as a hash and
    /// cannot be shown again.
    pub secret: String,
}

/// A reporter with its keys.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReporterView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its member state (none for the secretariat).
    pub country: Option<String>,
    /// Administrator.
    pub is_admin: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Its keys (no secrets).
    pub keys: Vec<KeyView>,
}

impl ReporterView {
    fn new(reporter: &ReporterRecord, keys: &[KeyRecord]) -> Self {
        Self {
            id: reporter.id,
            name: reporter.name.clone(),
            country: reporter.country.clone(),
            is_admin: reporter.is_admin,
            created_at: utc(reporter.created_at),
            keys: keys.iter().map(KeyView::from).collect(),
        }
    }
}

/// A created reporter and its first key.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedReporter {
    /// The reporter.
    pub reporter: ReporterView,
    /// Its first key, with the secret shown once.
    pub key: IssuedKey,
}

/// The list of reporters.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReporterList {
    /// Reporters by id.
    pub reporters: Vec<ReporterView>,
    /// Count.
    pub meta: super::Meta,
}

/// A 201 that carries a key's secret: no cache may keep it.
fn secret_answer() -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Created();
    response.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    response
}

/// Create a reporter for a member state, with its first key (shown once).
#[utoipa::path(
    tag = "administration",
    request_body = NewReporter,
    responses((status = 201, description = "Created", body = CreatedReporter)),
    security(("api_key" = []))
)]
#[post("/reporters")]
pub async fn create_reporter(
    state: web::Data<AppState>,
    Authenticated(Admin(caller), body): Authenticated<web::Json<NewReporter>, Admin>,
) -> Result<HttpResponse, ApiError> {
    let NewReporter { name, country } = body.into_inner();
    let mut errors = Vec::new();
    let name = validation::reporter_name(&name).unwrap_or_else(|error| {
        errors.push(error);
        String::new()
    });
    let country = match state.catalogue.member_state(&country) {
        Some(economy) => Some(economy.iso3.clone()),
        None => {
            let detail = format!("`{}` is not an ITU member state", country.chars().take(40).collect::<String>());
            errors.push(FieldError::request("country", "unknown_country", detail));
            None
        }
    };
    let (Some(country), true) = (country, errors.is_empty()) else {
        return Err(ApiError::unprocessable("the reporter is invalid", errors));
    };
    let GeneratedKey { secret, stored } = generate_key();
    let (reporter, key) = state
        .db
        .write(move |conn| {
            reporters::create_reporter_with_key(conn, &name, Some(&country), false, &stored, Some(caller.actor()))
        })
        .await?;
    Ok(secret_answer().json(CreatedReporter {
        reporter: ReporterView::new(&reporter, std::slice::from_ref(&key)),
        key: IssuedKey { key: KeyView::from(&key), secret },
    }))
}

/// Every reporter with its keys (never their secrets).
#[utoipa::path(
    tag = "administration",
    responses((status = 200, description = "The reporters", body = ReporterList)),
    security(("api_key" = []))
)]
#[get("/reporters")]
pub async fn list_reporters(state: web::Data<AppState>, _admin: Admin) -> Result<HttpResponse, ApiError> {
    let all = state.db.read(reporters::list).await?;
    let reporters: Vec<_> = all.iter().map(|(r, keys)| ReporterView::new(r, keys)).collect();
    let meta = super::Meta { count: reporters.len(), language: None };
    Ok(HttpResponse::Ok().json(ReporterList { reporters, meta }))
}

/// Issue another key to a reporter (e.g. to rotate keys); the secret is shown once.
#[utoipa::path(
    tag = "administration",
    params(("id" = i64, Path, description = "Reporter id")),
    responses(
        (status = 201, description = "Issued", body = IssuedKey),
        (status = 404, response = contract::NotFound)
    ),
    security(("api_key" = []))
)]
#[post("/reporters/{id}/keys")]
pub async fn create_key(
    state: web::Data<AppState>,
    Authenticated(Admin(caller), path): Authenticated<web::Path<String>, Admin>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, "unknown_reporter")?;
    let GeneratedKey { secret, stored } = generate_key();
    let key = state
        .db
        .write(move |conn| reporters::create_key(conn, id, &stored, Some(caller.actor())))
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_reporter", format!("no reporter {id}")))?;
    Ok(secret_answer().json(IssuedKey { key: KeyView::from(&key), secret }))
}

/// Revoke a key. It stops working at once; revoking it again changes nothing.
#[utoipa::path(
    tag = "administration",
    params(("id" = i64, Path, description = "Key id")),
    responses(
        (status = 200, description = "Revoked", body = KeyView),
        (status = 404, response = contract::NotFound)
    ),
    security(("api_key" = []))
)]
#[delete("/keys/{id}")]
pub async fn revoke_key(
    state: web::Data<AppState>,
    Authenticated(Admin(caller), path): Authenticated<web::Path<String>, Admin>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, "unknown_key")?;
    let key = state
        .db
        .write(move |conn| reporters::revoke_key(conn, id, Some(caller.actor())))
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_key", format!("no key {id}")))?;
    Ok(HttpResponse::Ok().json(KeyView::from(&key)))
}

/// One administrative action.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    /// Id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Acting reporter (none: the command line on the server).
    pub actor_reporter_id: Option<i64>,
    /// Acting key.
    pub actor_key_id: Option<i64>,
    /// `reporter.create`, `key.create` or `key.revoke`.
    pub action: String,
    /// What it acted on, e.g. `key:12`.
    pub subject: String,
    /// What changed (never a secret).
    pub detail: String,
}

/// A page of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Actions, oldest first.
    pub events: Vec<AuditView>,
    /// Paging.
    pub meta: super::observations::PageMeta,
}

/// Paging of the audit trail.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Opaque cursor from `meta.next_cursor`.
    pub cursor: Option<Cursor>,
    /// Page size (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The audit trail of administrative actions: reporters created, keys issued and revoked,
/// by whom and when.
#[utoipa::path(
    tag = "administration",
    params(AuditQuery),
    responses((status = 200, description = "The audit trail", body = AuditPage)),
    security(("api_key" = []))
)]
#[get("/audit")]
pub async fn audit_trail(
    state: web::Data<AppState>,
    Authenticated(_admin, query): Authenticated<web::Query<AuditQuery>, Admin>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit.unwrap_or(super::extract::DEFAULT_LIMIT);
    let after = query.cursor.as_ref().map(Cursor::id).transpose()?.unwrap_or(0);
    let records = state.db.read(move |conn| reporters::audit_trail(conn, after, limit)).await?;
    let next_cursor = (records.len() as i64 == limit).then(|| Cursor::after(records.last().map_or(0, |r| r.id)));
    let events: Vec<_> = records
        .into_iter()
        .map(|r| AuditView {
            id: r.id,
            at: utc(r.at),
            actor_reporter_id: r.actor_reporter_id,
            actor_key_id: r.actor_key_id,
            action: r.action,
            subject: r.subject,
            detail: r.detail,
        })
        .collect();
    let meta = super::observations::PageMeta { count: events.len(), next_cursor, as_of: None };
    Ok(HttpResponse::Ok().json(AuditPage { events, meta }))
}
