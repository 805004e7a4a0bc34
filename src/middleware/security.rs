//! Security headers on every answer the application gives.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;

/// The dashboard's pages load only their own stylesheet, script and the empty favicon
/// (`data:,`), have no inline style or script (the charts in them use SVG presentation
/// attributes, which no policy governs), and may not be framed.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                            base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The interactive docs (Swagger UI): its own scripts only, but React sets inline styles and
/// its stylesheet draws icons from `data:` images; it fetches the specification and sends
/// "try it out" requests to this origin. It may not be framed either.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                            img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
                            frame-ancestors 'none'";

/// A chart opened on its own runs nothing and loads nothing; no `frame-ancestors`, so that any
/// site may embed it (as `<img>`, where no policy of its own applies, or in a frame).
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// `nosniff` and `Referrer-Policy: no-referrer` everywhere; a `Content-Security-Policy` on
/// HTML pages and the docs (with `X-Frame-Options: DENY` for browsers that ignore
/// `frame-ancestors`: no clickjacking) and on SVG charts (which stay embeddable).
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let policy = match content_type(headers) {
        _ if is_docs => Some(DOCS_CSP),
        kind if kind.starts_with("text/html") => Some(PAGE_CSP),
        kind if kind.starts_with("image/svg+xml") => Some(SVG_CSP),
        _ => None,
    };
    if let Some(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
        if policy != SVG_CSP {
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
    }
    Ok(response)
}

fn content_type(headers: &HeaderMap) -> String {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase()
}
