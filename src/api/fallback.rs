//! The answer for requests no route takes: 405 with `Allow` when the path exists under another
//! method, 404 otherwise. The methods of documented paths come from the OpenAPI specification,
//! so they cannot drift from the routing table; every other route (pages, assets, the docs,
//! the shorter SDMX paths) is a GET, found in the routing table itself. `HEAD` goes wherever
//! `GET` does (see [`crate::middleware::head`]).

use crate::error::ApiError;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use utoipa::openapi::OpenApi;

/// Path templates and the methods each accepts.
#[derive(Debug, Clone, Default)]
pub struct KnownPaths {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl KnownPaths {
    /// Reads the templates of a specification .
    pub fn from_openapi(spec: &OpenApi) -> Self {
        let routes = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                for (name, operation) in [
                    ("GET", &item.get),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                ] {
                    if operation.is_some() {
                        methods.push(name.to_string());
                    }
                }
                (segments(path), methods)
            })
            .collect();
        Self { routes }
    }

    /// Methods accepted at a concrete path, if any route matches it.
    pub fn methods_for(&self, path: &str) -> Option<Vec<String>> {
        let wanted = segments(path);
        let mut methods: Vec<String> = self
            .routes
            .iter()
            .filter(|(template, _)| {
                template.len() == wanted.len()
                    && template.iter().zip(&wanted).all(|(t, w)| t == w || (t.starts_with('{') && !w.is_empty()))
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/').split('/').map(str::to_string).collect()
}

/// Default service of the application.
pub async fn unmatched(req: HttpRequest, known: web::Data<KnownPaths>) -> HttpResponse {
    let undocumented = || req.resource_map().has_resource(req.path()).then(|| vec!["GET".to_string()]);
    match known.methods_for(req.path()).or_else(undocumented) {
        Some(mut methods) => {
            if let Some(get) = methods.iter().position(|m| m == "GET") {
                methods.insert(get + 1, "HEAD".to_string());
            }
            let allow = methods.join(", ");
            let error = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{} is not allowed on {}; allowed: {allow}", req.method(), req.path()),
            );
            let mut response = error.error_response();
            if let Ok(value) = header::HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::not_found("not_found", format!("no resource at {}", req.path())).error_response(),
    }
}
