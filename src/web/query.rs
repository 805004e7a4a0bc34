//! The query of pages and charts: the progress parameters every progress answer takes, plus
//! `lang` (and `country` for charts).

use crate::api::progress::ProgressParams;
use crate::domain::language::Language;
use crate::error::ApiError;
use actix_web::web;
use std::collections::HashMap;

/// A page's or chart's query.
#[derive(Debug, Clone)]
pub struct ViewQuery {
    /// Progress parameters (method, as_of, …), checked as on the JSON endpoints.
    pub progress: ProgressParams,
    /// `?lang=`: the language chosen in the page (it beats `Accept-Language`).
    pub lang: Option<Language>,
    /// `?country=` (charts only).
    pub country: Option<String>,
}

fn bad(code: &'static str, detail: String) -> ApiError {
    ApiError::bad_request(code, detail)
}

impl ViewQuery {
    /// Parses a raw query string; `extra` names the keys taken besides `lang` and the
    /// progress parameters.
    pub fn parse(raw: &str, extra: &[&str]) -> Result<Self, ApiError> {
        let mut own: HashMap<String, String> = HashMap::new();
        let mut rest = Vec::new();
        for piece in raw.split('&').filter(|p| !p.is_empty()) {
            let key = piece.split('=').next().unwrap_or_default();
            if key == "lang" || extra.contains(&key) {
                let decoded = web::Query::<HashMap<String, String>>::from_query(piece)
                    .map_err(|e| bad("invalid_query", format!("invalid query string: {e}")))?;
                let value = decoded.get(key).cloned().unwrap_or_default();
                if own.insert(key.to_string(), value).is_some() {
                    return Err(bad("invalid_query", format!("invalid query string: duplicate field `{key}`")));
                }
            } else {
                rest.push(piece);
            }
        }
        let progress = web::Query::<ProgressParams>::from_query(&rest.join("&"))
            .map_err(|e| bad("invalid_query", format!("invalid query string: {e}")))?
            .into_inner();
        // The query rule admits only the `Language` schema's values: this refuses nothing a
        // request can send, and is here so that the parse stays total.
        let lang = match own.remove("lang") {
            Some(tag) => Some(
                Language::from_tag(&tag)
                    .ok_or_else(|| bad("invalid_query", format!("invalid query string: `lang={tag}`")))?,
            ),
            None => None,
        };
        Ok(Self { progress, lang, country: own.remove("country") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_and_country_are_taken_and_the_rest_is_a_progress_query() {
        let q = ViewQuery::parse("lang=zh&country=KEN&method=unsd_2023&carry_forward=2", &["country"]).unwrap();
        assert_eq!(q.lang, Some(Language::Zh));
        assert_eq!(q.country.as_deref(), Some("KEN"));
        assert_eq!(q.progress.estimation.carry_forward, Some(2));
        assert!(ViewQuery::parse("", &[]).unwrap().lang.is_none());
    }

    #[test]
    fn unknown_keys_bad_languages_and_duplicates_are_refused() {
        assert!(ViewQuery::parse("country=KEN", &[]).is_err(), "pages take no country");
        assert!(ViewQuery::parse("lang=fr", &[]).is_err());
        assert!(ViewQuery::parse("lang=en&lang=zh", &[]).is_err());
        assert!(ViewQuery::parse("colour=red", &["country"]).is_err());
    }
}
