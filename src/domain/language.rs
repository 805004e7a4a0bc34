//! Content negotiation for the catalogue's bilingual texts.

use serde::Serialize;
use utoipa::ToSchema;

/// A language the catalogue is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English, the fallback.
    #[default]
    En,
    /// Chinese.
    Zh,
}

impl Language {
    /// The BCP 47 tag sent back in `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh",
        }
    }

    /// The language of a tag given explicitly (`?lang=`): `en` or `zh`, any case.
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            "zh" => Some(Self::Zh),
            _ => None,
        }
    }

    /// Chooses from an `Accept-Language` value: the supported language with the highest
    /// quality wins; ties keep the header's order; nothing supported means English.
    pub fn negotiate(header: &str) -> Self {
        let mut best: Option<(f32, Self)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let language = match tag.split('-').next() {
                Some("zh") => Self::Zh,
                Some("en") => Self::En,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, language));
            }
        }
        best.map(|(_, language)| language).unwrap_or_default()
    }

    /// Picks the text in this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Self::En => en,
            Self::Zh => zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language::{self, En, Zh};

    #[test]
    fn accept_language_selects_chinese_or_falls_back_to_english() {
        for (header, expected) in [
            ("zh", Zh),
            ("zh-CN,zh;q=0.9,en;q=0.8", Zh),
            ("en-GB,en;q=0.9,zh;q=0.8", En),
            ("fr-FR,fr;q=0.9", En),
            ("fr, zh;q=0.5", Zh),
            ("en;q=0.2, zh-Hans;q=0.7", Zh),
            ("zh;q=0, en", En),
            ("", En),
            ("*", En),
        ] {
            assert_eq!(Language::negotiate(header), expected, "{header}");
        }
    }
}
