//! `GET /`: the five goals with their 24 targets as tiles.

use super::layout::{page, status_badge, Context};
use crate::api::progress::{ProgressOverview, TargetLine};
use crate::domain::catalogue::Catalogue;
use crate::web::figures::{coverage_text, estimated_share, Measure};
use crate::web::labels::{self, Label};
use maud::{html, Markup};

fn tile(context: &Context, catalogue: &Catalogue, line: &TargetLine) -> Markup {
    let language = context.language;
    let progress = &line.progress;
    let assessment = &progress.assessment;
    let measure = catalogue.target(&line.id).map(|t| Measure::of(t, catalogue));
    let value = |v: f64| measure.as_ref().map_or_else(|| v.to_string(), |m| m.value(v));
    let target_text = measure.as_ref().map(|m| m.target_text(assessment, language)).unwrap_or_default();
    html! {
        li class="tile" data-target=(line.id) data-status=(assessment.status.as_str()) {
            a href=(context.link(&format!("/targets/{}", line.id))) {
                span class="tile-id" { (context.t(Label::Target)) " " (line.id) }
                span class="tile-text" { (line.text) }
                span class="tile-value" {
                    @match progress.latest.as_ref().and_then(|p| p.value.map(|v| (p, v))) {
                        Some((point, v)) => {
                            strong { (value(v)) } " "
                            span class="year" { (labels::in_year(point.year, language)) }
                        }
                        None => { strong { (context.t(Label::NoData)) } }
                    }
                    " · " (context.t(Label::TargetValue)) " " (target_text)
                }
                (status_badge(assessment.status, language))
                @if let Some(point) = &progress.latest {
                    span class="tile-coverage" {
                        (progress.group_name) ": " (coverage_text(point, language)) " · "
                        (context.t(Label::Estimated)) " " (labels::percent(estimated_share(point)))
                    }
                }
            }
        }
    }
}

/// The dashboard page.
pub fn render(context: &Context, catalogue: &Catalogue, overview: &ProgressOverview) -> String {
    let main = html! {
        h1 { (context.t(Label::SiteTitle)) }
        p class="intro" { (context.t(Label::Intro)) }
        @for goal in &overview.goals {
            section class="goal" aria-labelledby=(format!("goal-{}", goal.id)) {
                h2 id=(format!("goal-{}", goal.id)) { span class="goal-number" { (context.t(Label::Goal)) " " (goal.id) } " " (goal.name) }
                ul class="tiles" {
                    @for line in &goal.targets { (tile(context, catalogue, line)) }
                }
            }
        }
        p class="method" {
            (context.t(Label::Method)) ": " code { (overview.provenance.method.as_str()) }
        }
    };
    let title = context.t(Label::Dashboard);
    page(context, title, main, "/api/v1/progress")
}
