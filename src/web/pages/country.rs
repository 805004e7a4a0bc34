//! `GET /countries/{iso3}`: every target for one country, and its initiatives.

use super::layout::{page, status_badge, Context};
use crate::api::initiatives::InitiativeView;
use crate::api::progress::{CountryProgressView, CountryTargetLine};
use crate::domain::catalogue::Catalogue;
use crate::web::chart::Size;
use crate::web::figures::{Figure, Measure};
use crate::web::labels::{self, Label};
use maud::{html, Markup};

fn target_row(context: &Context, catalogue: &Catalogue, n: usize, line: &CountryTargetLine) -> Markup {
    let language = context.language;
    let progress = &line.progress;
    let target = catalogue.target(&line.target);
    let measure = target.map(|t| Measure::of(t, catalogue));
    html! {
        tr data-target=(line.target) {
            th scope="row" { a href=(context.link(&format!("/targets/{}", line.target))) { (line.target) } }
            td { (line.text) }
            @match (&progress.answer, &progress.assessment, target.zip(measure.as_ref())) {
                (Some(answer), _, _) => {
                    td { (context.t(Label::from_answer(answer.yes))) " " (labels::in_year(answer.year, language)) }
                    td { "–" }
                }
                (None, Some(a), Some((target, measure))) => {
                    td {
                        @match a.current_value.zip(a.current_year) {
                            Some((v, year)) => { (measure.value(v)) " " (labels::in_year(year, language)) }
                            None => { (context.t(Label::NoData)) }
                        }
                    }
                    td class="spark" {
                        @if progress.series.is_empty() { "–" } @else {
                            (Figure { id: format!("chart-{n}"), target, measure, language, size: Size::Small }
                                .country(&progress.name, &progress.series, a).markup())
                        }
                    }
                }
                _ => { td { (context.t(Label::NoData)) } td { "–" } }
            }
            td {
                @match &progress.assessment {
                    Some(a) => (status_badge(a.status, language)),
                    None => "–",
                }
            }
        }
    }
}

/// A country's newest initiatives (newest first) and how many it shared in all.
#[derive(Debug)]
pub struct Initiatives {
    /// The ones listed.
    pub newest: Vec<InitiativeView>,
    /// How many the country shared.
    pub total: i64,
}

fn initiatives(context: &Context, country: &str, shared: &Initiatives) -> Markup {
    let list = &shared.newest;
    html! {
        @if list.is_empty() { p { (context.t(Label::NoInitiatives)) } }
        @if (list.len() as i64) < shared.total {
            p class="more" {
                (labels::initiatives_shown(list.len(), shared.total, context.language)) " "
                a href=(format!("/api/v1/initiatives?country={country}")) { (context.t(Label::AllInitiatives)) }
            }
        }
        ul class="initiatives" {
            @for item in list {
                li {
                    span class="kind" { (labels::initiative_kind(&item.kind, context.language)) }
                    " "
                    @match item.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                        Some(url) => a href=(url) rel="nofollow noopener" { (item.title) },
                        None => strong { (item.title) },
                    }
                    @if let Some(year) = item.year { " (" (year) ")" }
                    p { (item.summary) }
                    p class="linked" {
                        (context.t(Label::Target)) ": "
                        @for (n, id) in item.targets.iter().enumerate() {
                            @if n > 0 { ", " }
                            a href=(context.link(&format!("/targets/{id}"))) { (id) }
                        }
                    }
                }
            }
        }
    }
}

/// The country page.
pub fn render(context: &Context, catalogue: &Catalogue, view: &CountryProgressView, shared: &Initiatives) -> String {
    let main = html! {
        p class="crumbs" { a href=(context.link("/")) { (context.t(Label::Dashboard)) } }
        h1 { (view.name) " " span class="iso" { "(" (view.country) ")" } }
        div class="table-wrap" {
            table id="target-table" class="targets" {
                thead { tr {
                    th scope="col" { (context.t(Label::Target)) }
                    th scope="col" { "" }
                    th scope="col" { (context.t(Label::LastReported)) }
                    th scope="col" { (context.t(Label::Series)) }
                    th scope="col" { (context.t(Label::Status)) }
                } }
                tbody {
                    @for (n, line) in view.targets.iter().enumerate() { (target_row(context, catalogue, n, line)) }
                }
            }
        }
        section aria-labelledby="initiatives" {
            h2 id="initiatives" { (context.t(Label::Initiatives)) }
            (initiatives(context, &view.country, shared))
        }
    };
    page(context, &view.name, main, &format!("/api/v1/progress/countries/{}", view.country))
}
