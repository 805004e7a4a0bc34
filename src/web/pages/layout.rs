//! The frame every page shares: head, header with the language switch, footer.

use crate::domain::language::Language;
use crate::domain::progress::ProgressStatus;
use crate::web::labels::{self, Label};
use maud::{html, Markup, DOCTYPE};

/// What a page is rendered for.
#[derive(Debug, Clone)]
pub struct Context {
    /// The language of the page.
    pub language: Language,
    /// Whether the language was chosen with `?lang=` (then links keep it).
    pub chosen: bool,
    /// The page's path (for the language switch).
    pub path: String,
    /// Data version the numbers come from.
    pub data_version: i64,
}

impl Context {
    /// A link to another page, keeping a chosen language.
    pub fn link(&self, path: &str) -> String {
        if self.chosen {
            format!("{path}?lang={}", self.language.tag())
        } else {
            path.to_string()
        }
    }

    /// A word of the interface.
    pub fn t(&self, label: Label) -> &'static str {
        label.text(self.language)
    }
}

/// Paths of the stylesheet and the script (served from the binary).
pub const STYLE_PATH: &str = "/assets/dashboard.css";
/// See [`STYLE_PATH`].
pub const SCRIPT_PATH: &str = "/assets/dashboard.js";

/// A whole page around `main`.
pub fn page(context: &Context, title: &str, main: Markup, api: &str) -> String {
    let language = context.language;
    let markup = html! {
        (DOCTYPE)
        html lang=(language.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (context.t(Label::SiteTitle)) }
                // No favicon request (it would be a 404 in every browser console).
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(STYLE_PATH);
                script src=(SCRIPT_PATH) defer {}
            }
            body {
                a class="skip" href="#main" { (context.t(Label::Skip)) }
                header {
                    a class="home" href=(context.link("/")) { (context.t(Label::SiteTitle)) }
                    nav aria-label=(context.t(Label::Language)) {
                        @for (other, name) in [(Language::En, "English"), (Language::Zh, "中文")] {
                            @if other == language {
                                span aria-current="true" lang=(other.tag()) { (name) }
                            } @else {
                                a href=(format!("{}?lang={}", context.path, other.tag())) lang=(other.tag()) hreflang=(other.tag()) { (name) }
                            }
                        }
                    }
                }
                main id="main" { (main) }
                footer {
                    p {
                        strong { (context.t(Label::AboutTitle)) } ": " (context.t(Label::About)) " "
                        a href=(api) { (context.t(Label::JsonLink)) } " · "
                        a href="/docs/" { (context.t(Label::Api)) }
                    }
                    p { (context.t(Label::DataVersion)) ": " (context.data_version) }
                }
            }
        }
    };
    markup.into_string()
}

/// A status as a coloured badge with its word.
pub fn status_badge(status: ProgressStatus, language: Language) -> Markup {
    html! { span class=(format!("status s-{}", status.as_str())) data-status=(status.as_str()) { (labels::status(status, language)) } }
}

/// The rank of a status for sorting, best first.
pub fn status_rank(status: ProgressStatus) -> u8 {
    use ProgressStatus::*;
    match status {
        TargetAchieved => 0,
        SubstantialProgress | OnTrack => 1,
        ModerateProgress | FairProgress => 2,
        LimitedProgress => 3,
        Deterioration | StagnationOrRegression => 4,
        InsufficientData => 5,
    }
}
