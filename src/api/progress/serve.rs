//! Serving a computed answer: 304 on a matching ETag without computing; the cached bytes
//! (current, or superseded for at most the staleness bound while the next is computed); or
//! one computation, shared by every request for the same answer, off the async workers.
//! Answers are compressed once, when computed.

use super::params::{ProgressParams, Provenance};
use crate::api::encoding;
use crate::api::respond;
use crate::db::{history, write};
use crate::domain::language::Language;
use crate::domain::tracking::{DataSet, Inputs, Options};
use crate::error::ApiError;
use crate::state::answers::{Answer, Computed, Failure, Flight, Lookup};
use crate::state::progress::{Reads, Versions};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How far back an instant must be for its answer never to change: a write is stamped with
/// its instance's clock (never earlier than the latest revision), so this covers clocks of
/// instances that disagree by less.
const SETTLED: Duration = Duration::from_secs(60);

/// The header of an answer served while its successor is computed: milliseconds since this
/// instance learned of newer data (at most the staleness bound).
pub const STALE_HEADER: &str = "stale-ms";

/// What the specification says of `Cache-Control` on progress reads.
pub const FRESH_DOC: &str = "`no-cache` (or `max-age=0`): answer from the data as it is now, never an answer \
    superseded by a write (which is otherwise served for at most `MAX_STALE_MS`, 1 s by default, while its \
    successor is computed); a client that must see its own write sends it.";

/// What a computed answer is: its cache scope (everything that selects it besides the
/// options, language and data version), its query, its language and what it reads.
pub struct Request {
    /// e.g. `target:1.2`.
    pub scope: String,
    /// The query.
    pub params: ProgressParams,
    /// The checked options.
    pub options: Options,
    /// The language of the texts, for localised answers.
    pub language: Option<Language>,
    /// The indicators it reads: a write to any other leaves it valid.
    pub reads: Reads,
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

/// Serves a computed answer of any media type (see the module).
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
    let gzip = encoding::accepts_gzip(req);
    let reply = Reply { req, language: request.language, gzip, content_type };
    let as_of = request.params.as_of;
    let question = format!(
        "{}|{:?}|{:?}|{:?}|{}",
        request.scope,
        request.options,
        as_of.map(|t| t.timestamp_micros()),
        request.language,
        env!("CARGO_PKG_VERSION"),
    );
    let progress = &state.progress;
    if as_of.is_some_and(|at| at < Utc::now() - SETTLED) {
        if let Some(answer) = progress.answers.past(&question) {
            return Ok(reply.send(&answer, None));
        }
        let job = Job {
            question: question.clone(),
            options: request.options,
            as_of,
            reads: request.reads,
            fingerprint: None,
        };
        return Ok(reply.send(&*wait(start(state, job, compute)).await?, None));
    }
    let fresh = encoding::wants_fresh(req);
    let versions = match progress.known(&state.db) {
        Some(versions) if !fresh || state.db.backend() == crate::db::Backend::Sqlite => versions,
        // A client that must see a write reads the versions itself, after it sent the request.
        _ if fresh => {
            let shared = state.get_ref().clone();
            state.db.read(move |conn| shared.progress.versions(conn)).await?
        }
        _ => read_versions(state).await?,
    };
    let fingerprint = versions.of(&request.reads);
    let etag = respond::etag_of(format!("{question}|v{fingerprint}").as_bytes());
    let tag = if gzip { Answer::tagged(&etag, true) } else { etag };
    if respond::matches_etag(req, &tag) {
        return Ok(reply.not_modified(&tag));
    }
    let now = Instant::now();
    let lookup = progress
        .answers
        .latest(&question, (fingerprint, versions.global), fresh, now, |version| progress.superseded_at(version));
    let job = Job { question, options: request.options, as_of, reads: request.reads, fingerprint: Some(fingerprint) };
    match lookup {
        Lookup::Fresh(answer) => Ok(reply.send(&answer, None)),
        Lookup::Stale(answer, age) => {
            // Computed in the background: this request does not wait for it.
            drop(start(state, job, compute));
            Ok(reply.send(&answer, Some(age)))
        }
        Lookup::Miss => Ok(reply.send(&*wait(start(state, job, compute)).await?, None)),
    }
}

/// What to compute.
struct Job {
    question: String,
    options: Options,
    as_of: Option<DateTime<Utc>>,
    reads: Reads,
    /// The data version of what it reads when it is about the current data (or an instant
    /// that may still change); none for a settled past instant (cached for good, tagged by
    /// content).
    fingerprint: Option<i64>,
}

/// The computation of the job's answer for the data this instance knows, joined if one is in
/// flight, else started (it runs to the end even if every request waiting for it goes away).
fn start<F>(state: &web::Data<AppState>, job: Job, compute: F) -> Flight
where
    F: FnOnce(Inputs, Provenance) -> Result<Vec<u8>, ApiError> + Send + 'static,
{
    let key = format!("{}|{:?}", job.question, job.fingerprint);
    let shared = state.get_ref().clone();
    state.progress.answers.flight(&key.clone(), move || {
        let task = actix_web::rt::spawn(async move {
            let state = shared.clone();
            let outcome = web::block(move || compute_answer(&state, job, compute)).await;
            let computed: Computed = match outcome {
                Ok(Ok(answer)) => Ok(answer),
                Ok(Err(error)) => Err(failure(error)),
                Err(error) => Err(failure(ApiError::from(error))),
            };
            shared.progress.answers.land(&key);
            computed
        });
        async move { task.await.unwrap_or_else(|error| Err(failure(ApiError::internal(anyhow::anyhow!("{error}"))))) }
            .boxed()
    })
}

/// The versions from the database, one query for every request waiting at the same time.
async fn read_versions(state: &web::Data<AppState>) -> Result<Arc<Versions>, ApiError> {
    let shared = state.get_ref().clone();
    let flight = state.progress.read_versions(move |signals| {
        let task = actix_web::rt::spawn(async move {
            let reader = shared.clone();
            let read: Result<_, ApiError> = shared.db.read(move |conn| Ok(reader.progress.versions(conn)?)).await;
            shared.progress.forget_read(signals);
            read.map_err(failure)
        });
        async move { task.await.unwrap_or_else(|error| Err(failure(ApiError::internal(anyhow::anyhow!("{error}"))))) }
            .boxed()
    });
    flight.await.map_err(|failure| replicate(&failure))
}

fn replicate(failure: &Failure) -> ApiError {
    match failure.downcast_ref::<ApiError>() {
        Some(error) => error.replicate(),
        None => ApiError::internal(anyhow::anyhow!("{failure}")),
    }
}

fn failure(error: ApiError) -> Failure {
    error.log();
    Arc::new(error)
}

/// Frees a past state on a thread of its own: it serves one answer (which is kept), and
/// freeing its thousands of series took 2.5 ms of the 60 the first answer as of an instant
/// took at 145,000 values. (If no thread can start, it is freed here.)
fn free_elsewhere(data: Arc<DataSet>) {
    let _ = std::thread::Builder::new().name("free-past-state".into()).spawn(move || drop(data));
}

async fn wait(flight: Flight) -> Result<Arc<Answer>, ApiError> {
    flight.await.map_err(|failure| replicate(&failure))
}

/// Computes, compresses and stores an answer (blocking).
fn compute_answer<F>(state: &AppState, job: Job, compute: F) -> Result<Arc<Answer>, ApiError>
where
    F: FnOnce(Inputs, Provenance) -> Result<Vec<u8>, ApiError>,
{
    let mut conn = state.db.get()?;
    let (versions, data, read_version): (Arc<Versions>, Arc<DataSet>, Option<i64>) = match job.as_of {
        Some(at) => {
            let versions = state.progress.versions(&mut conn)?;
            let at = at.naive_utc();
            let indicators = match &job.reads {
                Reads::All => None,
                Reads::Indicators(codes) => Some(codes.as_slice()),
            };
            // Provenance names the version of the data as it was then, not today's.
            let then = write::version_at(&mut conn, at, indicators)?;
            let keys = state.progress.observation_keys(&mut conn)?;
            (versions, Arc::new(history::as_of(&state.db, &mut conn, at, &keys)?), Some(then))
        }
        None => {
            let (versions, data) = state.progress.current(&mut conn)?;
            (versions, data, None)
        }
    };
    drop(conn);
    let options = job.options;
    let fingerprint = versions.of(&job.reads);
    let provenance = Provenance {
        method: options.method,
        estimation: options.estimation,
        carry_forward: Provenance::carried_years(&options.estimation),
        min_coverage: options.min_coverage,
        min_reported: options.min_reported,
        as_of: job.as_of,
        as_of_year: options.as_of_year,
        data_version: read_version.unwrap_or(fingerprint),
        values: match &job.reads {
            Reads::All => data.len(),
            Reads::Indicators(codes) => data.len_of(codes),
        },
        weights: "population".into(),
    };
    let identity = Bytes::from(compute(Inputs { catalogue: &state.catalogue, data: &data, options }, provenance)?);
    if job.as_of.is_some() {
        free_elsewhere(data);
    }
    let gzip = encoding::gzip(&identity, encoding::Compression::default()).map_err(ApiError::internal)?;
    let answers = &state.progress.answers;
    let answer = if job.fingerprint.is_none() {
        let tagged = [job.question.as_bytes(), b"|", &identity].concat();
        let answer = Arc::new(Answer { etag: respond::etag_of(&tagged), identity, gzip, data_version: fingerprint });
        answers.store_past(&job.question, answer.clone());
        answer
    } else {
        let etag = respond::etag_of(format!("{}|v{fingerprint}", job.question).as_bytes());
        let answer = Arc::new(Answer { etag, identity, gzip, data_version: fingerprint });
        answers.store_latest(&job.question, (fingerprint, versions.global), answer.clone());
        answer
    };
    Ok(answer)
}

/// How an answer goes out.
struct Reply<'a> {
    req: &'a HttpRequest,
    language: Option<Language>,
    gzip: bool,
    content_type: &'static str,
}

impl Reply<'_> {
    fn headers(&self, status: actix_web::http::StatusCode, etag: &str) -> actix_web::HttpResponseBuilder {
        let mut response = HttpResponse::build(status);
        response.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, "no-cache"));
        if let Some(language) = self.language {
            response
                .insert_header((header::CONTENT_LANGUAGE, language.tag()))
                .insert_header((header::VARY, "Accept-Language, Accept-Encoding"));
        } else {
            response.insert_header((header::VARY, "Accept-Encoding"));
        }
        response
    }

    fn not_modified(&self, etag: &str) -> HttpResponse {
        self.headers(actix_web::http::StatusCode::NOT_MODIFIED, etag).finish()
    }

    /// The answer in the accepted encoding, or 304 when the client holds its tag.
    fn send(&self, answer: &Answer, stale: Option<Duration>) -> HttpResponse {
        let etag = Answer::tagged(&answer.etag, self.gzip);
        let status = if respond::matches_etag(self.req, &etag) {
            actix_web::http::StatusCode::NOT_MODIFIED
        } else {
            actix_web::http::StatusCode::OK
        };
        let mut response = self.headers(status, &etag);
        if let Some(age) = stale {
            response.insert_header((STALE_HEADER, age.as_millis().to_string()));
        }
        if status == actix_web::http::StatusCode::NOT_MODIFIED {
            return response.finish();
        }
        if self.gzip {
            response
                .insert_header((header::CONTENT_ENCODING, "gzip"))
                .content_type(self.content_type)
                .body(answer.gzip.clone())
        } else {
            response.content_type(self.content_type).body(answer.identity.clone())
        }
    }
}
