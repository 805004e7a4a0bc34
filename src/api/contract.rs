//! The conventions every operation shares, stated once: reusable answers in
//! `components/responses` (handlers reference them as `response = NotFound`), and the rules that
//! follow from the routing itself (authentication, rate limit, request bodies, entity tags,
//! request ids), applied to the whole specification so no operation can forget them.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required};
use utoipa::ToResponse;

use crate::error::PROBLEM_JSON;

fn string_header(description: &str) -> Header {
    HeaderBuilder::new().schema(Object::with_type(Type::String)).description(Some(description)).build()
}

fn retry_after() -> Header {
    HeaderBuilder::new()
        .schema(Object::with_type(Type::Integer))
        .description(Some("Seconds to wait before retrying"))
        .build()
}

fn www_authenticate() -> Header {
    string_header("`Bearer realm=\"connect2030\"` (RFC 6750): this operation takes a bearer key")
}

fn etag() -> Header {
    string_header(
        "Strong entity tag of the representation, derived from the stored data version and the query; \
         send it back in `If-None-Match` to get 304 when nothing changed",
    )
}

fn request_id() -> Header {
    string_header("The request's id (the client's `X-Request-Id` when sane, else generated), also in the logs")
}

fn problem(description: &str, headers: Vec<(&str, Header)>) -> Response {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let mut builder = ResponseBuilder::new().description(description).content(PROBLEM_JSON, content);
    for (name, header) in headers {
        builder = builder.header(name, header);
    }
    builder.build()
}

/// Declares reusable problem+json answers and the list of all of them.
macro_rules! problem_responses {
    ($($(#[doc = $doc:literal])* $name:ident: $description:literal $(, $header:literal => $value:expr)*;)*) => {
        $(
            $(#[doc = $doc])*
            pub struct $name;

            impl<'r> ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    (stringify!($name), problem($description, vec![$(($header, $value)),*]).into())
                }
            }
        )*

        /// Every reusable answer, for `components/responses`.
        fn reusable() -> Vec<(&'static str, RefOr<Response>)> {
            vec![$(<$name as ToResponse>::response(),)* <NotModified as ToResponse>::response()]
        }
    };
}

problem_responses! {
    /// 400: a parameter, header or body that cannot be read.
    BadRequest: "A parameter, header or body that cannot be read: `detail` names it and the expected form \
                 (unknown query parameters are named, with the valid ones)";
    /// 401: no usable key.
    Unauthorized: "Missing, malformed, unknown or revoked key", "WWW-Authenticate" => www_authenticate();
    /// 403: the key may not do this.
    Forbidden: "The key may not do this: another country's data (for a batch, `errors` lists those rows \
                and every other problem of the batch) or an administrator's action";
    /// 404: no such resource.
    NotFound: "No such resource; `detail` names it";
    /// 409: an `Idempotency-Key` reused with another body.
    Conflict: "`Idempotency-Key` already used with another body";
    /// 413: body or batch too large.
    PayloadTooLarge: "Body or batch too large";
    /// 415: a body in a media type the operation does not take.
    UnsupportedMediaType: "Body in a media type this operation does not take";
    /// 422: invalid fields, every one listed.
    Unprocessable: "Invalid fields or rows, every problem listed in `errors`";
    /// 429: the key's write rate limit.
    TooManyRequests: "Too many writes with this key; retry after `Retry-After` seconds",
        "Retry-After" => retry_after();
    /// 503: the database cannot answer now, or the request took too long.
    ServiceUnavailable: "The database cannot answer now, or the request took too long; retry after \
                         `Retry-After` seconds", "Retry-After" => retry_after();
}

/// 304: the client's copy is current.
pub struct NotModified;

impl<'r> ToResponse<'r> for NotModified {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = ResponseBuilder::new()
            .description("Not modified: `If-None-Match` names the current entity tag; no body")
            .header("ETag", etag())
            .build();
        ("NotModified", response.into())
    }
}

fn reference(name: &str) -> RefOr<Response> {
    RefOr::Ref(Ref::from_response_name(name))
}

/// Applies the shared conventions to every operation of the specification.
pub fn apply(openapi: &mut OpenApi) {
    openapi.servers =
        Some(vec![ServerBuilder::new().url("/").description(Some("The server this specification came from")).build()]);
    let components = openapi.components.get_or_insert_with(Default::default);
    for (name, mut response) in reusable() {
        if let RefOr::T(response) = &mut response {
            response.headers.insert("X-Request-Id".to_string(), request_id());
        }
        components.responses.insert(name.to_string(), response);
    }
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.delete, true),
            (&mut item.put, true),
            (&mut item.patch, true),
        ];
        for (operation, writes) in operations {
            if let Some(operation) = operation.as_mut() {
                conventions(operation, writes);
            }
        }
    }
}

fn conventions(operation: &mut Operation, writes: bool) {
    let responses = &mut operation.responses.responses;
    let secured = operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    if secured {
        responses.entry("401".into()).or_insert_with(|| reference("Unauthorized"));
        // No write is open to every key: another country's data, or an administrator's action.
        responses.entry("403".into()).or_insert_with(|| reference("Forbidden"));
        // The rate limit counts writes per key (see `auth::Caller`).
        if writes {
            responses.entry("429".into()).or_insert_with(|| reference("TooManyRequests"));
        }
    } else {
        // Public: an empty requirement list says so explicitly.
        operation.security = Some(Vec::new());
    }
    // Every operation checks its query string (`api::query`).
    responses.entry("400".into()).or_insert_with(|| reference("BadRequest"));
    // A body is bounded in size, read in the media types the operation names (`extract`,
    // `observations::input`) and checked field by field before anything is stored.
    if operation.request_body.is_some() {
        for (status, name) in [("413", "PayloadTooLarge"), ("415", "UnsupportedMediaType"), ("422", "Unprocessable")] {
            responses.entry(status.into()).or_insert_with(|| reference(name));
        }
    }
    // Every request is bounded in time (503 beyond), whatever it touches.
    responses.entry("503".into()).or_insert_with(|| reference("ServiceUnavailable"));
    let tagged = responses.contains_key("304");
    for (status, response) in responses.iter_mut() {
        if let RefOr::T(response) = response {
            response.headers.insert("X-Request-Id".to_string(), request_id());
            if tagged && status.as_str() == "200" {
                response.headers.insert("ETag".to_string(), etag());
            }
        }
    }
    if tagged {
        let if_none_match = ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .schema(Some(Object::with_type(Type::String)))
            .description(Some("An entity tag this operation gave: 304 without a body while it is current"))
            .build();
        operation.parameters.get_or_insert_with(Vec::new).push(if_none_match);
    }
}
