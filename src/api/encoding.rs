//! What the client accepts and asks for: gzip (`Accept-Encoding`), and a fresh answer
//! (`Cache-Control: no-cache`); gzip of a whole answer, or of a stream as it goes.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::HttpRequest;
use flate2::write::GzEncoder;
pub use flate2::Compression;
use futures_util::stream::{self, LocalBoxStream, Stream, StreamExt};
use std::io::Write;

/// Whether `Accept-Encoding` accepts gzip (`gzip`, `x-gzip` or `*` with a non-zero weight).
pub fn accepts_gzip(req: &HttpRequest) -> bool {
    let mut star = false;
    for item in
        req.headers().get_all(header::ACCEPT_ENCODING).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let weight =
            parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok())).unwrap_or(1.0);
        match coding.as_str() {
            "gzip" | "x-gzip" => return weight > 0.0,
            "*" => star = weight > 0.0,
            _ => {}
        }
    }
    star
}

/// Whether the client asks for an answer from the current data, never a superseded one:
/// `Cache-Control: no-cache` (or `max-age=0`), or `Pragma: no-cache`.
pub fn wants_fresh(req: &HttpRequest) -> bool {
    let says = |name: header::HeaderName, directives: &[&str]| {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|d| directives.iter().any(|wanted| d.trim().eq_ignore_ascii_case(wanted)))
    };
    says(header::CACHE_CONTROL, &["no-cache", "max-age=0"]) || says(header::PRAGMA, &["no-cache"])
}

/// The bytes gzip-compressed at `level` (`Compression::default()` for answers compressed once
/// and kept, `Compression::fast()` for answers compressed on every request).
pub fn gzip(bytes: &[u8], level: Compression) -> std::io::Result<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), level);
    encoder.write_all(bytes)?;
    Ok(Bytes::from(encoder.finish()?))
}

/// A stream of chunks gzip-compressed as it goes (one gzip member): each chunk is compressed
/// when it arrives, so a streamed export stays streamed.
pub fn gzip_stream<S>(chunks: S) -> impl Stream<Item = Result<Bytes, actix_web::Error>>
where
    S: Stream<Item = Result<Bytes, actix_web::Error>> + 'static,
{
    type State = (LocalBoxStream<'static, Result<Bytes, actix_web::Error>>, GzEncoder<Vec<u8>>);
    let start: State = (chunks.boxed_local(), GzEncoder::new(Vec::new(), Compression::default()));
    stream::unfold(Some(start), |state| async move {
        let (mut chunks, mut encoder) = state?;
        loop {
            match chunks.next().await {
                Some(Ok(chunk)) => {
                    if let Err(error) = encoder.write_all(&chunk) {
                        return Some((Err(actix_web::error::ErrorInternalServerError(error)), None));
                    }
                    let compressed = std::mem::take(encoder.get_mut());
                    if !compressed.is_empty() {
                        return Some((Ok(Bytes::from(compressed)), Some((chunks, encoder))));
                    }
                }
                Some(Err(error)) => return Some((Err(error), None)),
                None => {
                    return Some((
                        encoder.finish().map(Bytes::from).map_err(actix_web::error::ErrorInternalServerError),
                        None,
                    ))
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accepts(value: &str) -> bool {
        accepts_gzip(&TestRequest::default().insert_header((header::ACCEPT_ENCODING, value)).to_http_request())
    }

    #[test]
    fn gzip_is_chosen_only_when_accepted() {
        assert!(accepts("gzip, deflate, br"));
        assert!(accepts("br;q=1.0, gzip;q=0.5"));
        assert!(accepts("*"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts("*, gzip;q=0"));
        assert!(!accepts("identity"));
        assert!(!accepts_gzip(&TestRequest::default().to_http_request()));
    }

    #[test]
    fn no_cache_asks_for_a_fresh_answer() {
        let with = |name, value| wants_fresh(&TestRequest::default().insert_header((name, value)).to_http_request());
        assert!(with(header::CACHE_CONTROL, "no-cache"));
        assert!(with(header::CACHE_CONTROL, "max-age=0, must-revalidate"));
        assert!(with(header::PRAGMA, "no-cache"));
        assert!(!with(header::CACHE_CONTROL, "max-age=60"));
    }
}
