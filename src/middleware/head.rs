//! `HEAD` on every `GET` route: the request is served as the `GET` it stands for, and the
//! server sends the headers without the body (actix-web's HTTP/1 encoder writes no body for a
//! `HEAD` request, and keeps the `Content-Length` of a sized one). A streamed body is not
//! produced at all: the answer says `Transfer-Encoding: chunked`, as the `GET` does, and ends.

use actix_web::body::{BodySize, BodyStream, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use futures_util::stream::{self, Empty};

/// The body of a `HEAD` answer to a streamed `GET`.
type NoStream = BodyStream<Empty<Result<Bytes, actix_web::Error>>>;

/// Middleware: serves `HEAD` as `GET`.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, NoStream>>, actix_web::Error> {
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let response = next.call(req).await?;
    if head && response.response().body().size() == BodySize::Stream {
        return Ok(response.map_body(|_, _| EitherBody::right(BodyStream::new(stream::empty()))));
    }
    Ok(response.map_into_left_body())
}
